# Reference p-values of the exact Fisher–Freeman–Halton test (R fisher.test on r×c tables).
# Run from the repository root:  Rscript tests/r/regional_fisher.R
# Output: tests/fixtures/r/regional/fisher.csv (cells row-major, ';'-separated).
tables <- list(
  # synthetic 4 clusters × 4 NBS regions, 32 units (East 10, Central 6, West 13 incl. XPCC, Northeast 3)
  cluster_region_4x4_n32 = matrix(c(5, 0, 0, 0,
                                    4, 2, 2, 1,
                                    1, 3, 4, 1,
                                    0, 1, 7, 1), nrow = 4, byrow = TRUE),
  tier_region_3x4_n24 = matrix(c(4, 1, 0, 1,
                                 2, 3, 3, 1,
                                 0, 2, 6, 1), nrow = 3, byrow = TRUE),
  binary_5groups_2x5_n20 = matrix(c(3, 1, 4, 0, 2,
                                    1, 3, 0, 4, 2), nrow = 2, byrow = TRUE),
  belt_3x3_n40 = matrix(c(8, 3, 2,
                          4, 6, 3,
                          1, 4, 9), nrow = 3, byrow = TRUE),
  small_2x2_n12 = matrix(c(5, 1,
                           1, 5), nrow = 2, byrow = TRUE),
  sparse_4x3_n18 = matrix(c(3, 0, 0,
                            0, 4, 1,
                            1, 0, 5,
                            2, 2, 0), nrow = 4, byrow = TRUE)
)
out <- do.call(rbind, lapply(names(tables), function(id) {
  x <- tables[[id]]
  p <- fisher.test(x, workspace = 2e8)$p.value
  data.frame(table_id = id, nrow = nrow(x), ncol = ncol(x), n = sum(x),
             cells = paste(as.vector(t(x)), collapse = ";"), p = sprintf("%.17g", p))
}))
dir.create("tests/fixtures/r/regional", recursive = TRUE, showWarnings = FALSE)
write.csv(out, "tests/fixtures/r/regional/fisher.csv", row.names = FALSE, quote = FALSE)
print(out)
