# Reference values for egoveval.coverage (R's fisher.test on 2x2 tables, prop.test's Wilson
# interval without continuity correction, binom.test).
# Run from the repository root:  Rscript tests/r/coverage_fisher.R
# Outputs: tests/fixtures/r/coverage/fisher_2x2.csv, wilson.csv, binom.csv
# 2x2 tables: rows = key, prefecture; columns = provided, not provided.
tables <- list(
  small_5_1_1_5       = c(5, 1, 1, 5),
  weibo_whole_gov     = c(23, 13, 125, 176),
  wechat_whole_gov    = c(9, 27, 65, 236),
  wechat_housing      = c(3, 33, 5, 296),
  micro_environment   = c(4, 32, 21, 280),
  zero_cell           = c(0, 36, 12, 289),
  all_key_provide     = c(36, 0, 200, 101),
  tied_margins        = c(18, 18, 150, 151),
  tiny_2_0_0_2        = c(2, 0, 0, 2)
)
fisher <- do.call(rbind, lapply(names(tables), function(id) {
  v <- tables[[id]]
  r <- fisher.test(matrix(v, nrow = 2, byrow = TRUE))
  data.frame(table_id = id, a = v[1], b = v[2], c = v[3], d = v[4],
             p = sprintf("%.17g", r$p.value), estimate = sprintf("%.17g", r$estimate),
             conf_low = sprintf("%.17g", r$conf.int[1]), conf_high = sprintf("%.17g", r$conf.int[2]))
}))
cases <- data.frame(k = c(23, 9, 26, 148, 0, 36, 1, 271, 3, 50),
                    n = c(36, 36, 36, 337, 36, 36, 2, 1806, 5, 100))
wilson <- do.call(rbind, lapply(seq_len(nrow(cases)), function(i) {
  k <- cases$k[i]; n <- cases$n[i]
  ci <- prop.test(k, n, correct = FALSE)$conf.int
  data.frame(k = k, n = n, ci_low = sprintf("%.17g", ci[1]), ci_high = sprintf("%.17g", ci[2]))
}))
bcases <- data.frame(k = c(23, 9, 26, 148, 74, 165, 271, 90, 289, 84, 26, 52, 10, 30, 130, 250, 5),
                     n = c(36, 36, 36, 337, 337, 337, 1806, 1806, 1806, 216, 216, 216, 36, 36, 337, 1806, 36),
                     p = c(0.64, 0.25, 0.72, 0.44, 0.22, 0.49, 0.15, 0.05, 0.16, 0.39, 0.12, 0.24, 0.64, 0.64, 0.44, 0.15, 0.25))
binom <- do.call(rbind, lapply(seq_len(nrow(bcases)), function(i) {
  r <- binom.test(bcases$k[i], bcases$n[i], bcases$p[i])
  data.frame(k = bcases$k[i], n = bcases$n[i], rate = bcases$p[i], p = sprintf("%.17g", r$p.value))
}))
dir.create("tests/fixtures/r/coverage", recursive = TRUE, showWarnings = FALSE)
write.csv(fisher, "tests/fixtures/r/coverage/fisher_2x2.csv", row.names = FALSE, quote = FALSE)
write.csv(wilson, "tests/fixtures/r/coverage/wilson.csv", row.names = FALSE, quote = FALSE)
write.csv(binom, "tests/fixtures/r/coverage/binom.csv", row.names = FALSE, quote = FALSE)
writeLines(R.version.string, "tests/fixtures/r/coverage/R_version.txt")
print(fisher); print(wilson); print(binom)
