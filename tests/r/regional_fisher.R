# Reference p-values of the exact Fisher–Freeman–Halton test (R fisher.test on r×c tables):
# six small tables (n ≤ 40) and six larger ones (n 75–300) within the exact limit of egoveval.
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
                            2, 2, 0), nrow = 4, byrow = TRUE),
  # larger synthetic tables near independence (n 75-300), drawn once with numpy
  # (tests/r/regional_fisher.R keeps them literal so R and Python see the same cells)
  near_indep_4x4_n100 = matrix(c(4, 8, 5, 5, 7, 7, 4, 5, 0, 8, 6, 4, 7, 12, 5, 13), nrow = 4, byrow = TRUE),
  near_indep_4x4_n100b = matrix(c(4, 4, 0, 0, 19, 18, 4, 11, 8, 11, 3, 3, 7, 8, 0, 0), nrow = 4, byrow = TRUE),
  near_indep_5x4_n75 = matrix(c(6, 2, 5, 6, 3, 0, 2, 1, 4, 2, 10, 3, 9, 0, 5, 4, 5, 3, 1, 4), nrow = 5, byrow = TRUE),
  near_indep_5x4_n90 = matrix(c(0, 3, 4, 1, 4, 5, 8, 5, 4, 6, 6, 9, 3, 7, 7, 3, 4, 3, 6, 2), nrow = 5, byrow = TRUE),
  near_indep_3x4_n300 = matrix(c(23, 15, 27, 29, 38, 24, 39, 42, 20, 5, 17, 21), nrow = 3, byrow = TRUE),
  assoc_2x5_n300 = matrix(c(15, 46, 17, 15, 25, 29, 39, 54, 14, 46), nrow = 2, byrow = TRUE)
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
