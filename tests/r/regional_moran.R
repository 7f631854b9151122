# Reference global Moran's I (spdep::moran.test, randomisation, row-standardised weights) and
# local Moran Ii (spdep::localmoran) on the bundled province adjacency, XPCC excluded, with and
# without the Hainan–Guangdong sea_convention link; and on the bundled city queen adjacency.
# The test variable is the deterministic synthetic input fixture.
# Run from the repository root:  Rscript tests/r/regional_moran.R
suppressPackageStartupMessages(library(spdep))
fx <- "tests/fixtures/r/regional"
adj <- read.csv("src/egoveval/units/data/province_adjacency.csv", colClasses = "character")
d <- read.csv(file.path(fx, "provinces_synthetic_input.csv"), colClasses = c(code = "character"))
d <- d[d$code != "660000", ]                          # XPCC excluded (no territory, no neighbours)
weights_for <- function(codes, links) {
  m <- matrix(0, length(codes), length(codes), dimnames = list(codes, codes))
  for (k in seq_len(nrow(links))) {
    a <- links$code_a[k]; b <- links$code_b[k]
    if (a %in% codes && b %in% codes) { m[a, b] <- 1; m[b, a] <- 1 }
  }
  nb2listw(mat2listw(m, style = "B")$neighbours, style = "W", zero.policy = TRUE)
}
rows <- list(); local <- list()
for (link in c(FALSE, TRUE)) {
  links <- if (link) adj else adj[adj$link_type == "land", ]
  lw <- weights_for(d$code, links)
  mt <- moran.test(d$value_synthetic, lw, randomisation = TRUE, zero.policy = TRUE)
  id <- if (link) "provinces_hainan_link" else "provinces_no_hainan_link"
  rows[[id]] <- data.frame(case = id, n = nrow(d),
    I = sprintf("%.17g", mt$estimate[1]), expectation = sprintf("%.17g", mt$estimate[2]),
    variance = sprintf("%.17g", mt$estimate[3]), z = sprintf("%.17g", mt$statistic),
    p_greater = sprintf("%.17g", mt$p.value))
  lm <- localmoran(d$value_synthetic, lw, zero.policy = TRUE)
  local[[id]] <- data.frame(case = id, code = d$code, Ii = sprintf("%.17g", lm[, "Ii"]))
}
# cities: queen contiguity
cadj <- read.csv("src/egoveval/units/data/city_adjacency_queen.csv", colClasses = "character")
cd <- read.csv(file.path(fx, "cities_synthetic_input.csv"), colClasses = c(code = "character"))
lw <- weights_for(cd$code, cadj)
mt <- moran.test(cd$value_synthetic, lw, randomisation = TRUE, zero.policy = TRUE)
rows[["cities_queen"]] <- data.frame(case = "cities_queen", n = nrow(cd),
    I = sprintf("%.17g", mt$estimate[1]), expectation = sprintf("%.17g", mt$estimate[2]),
    variance = sprintf("%.17g", mt$estimate[3]), z = sprintf("%.17g", mt$statistic),
    p_greater = sprintf("%.17g", mt$p.value))
write.csv(do.call(rbind, rows), file.path(fx, "moran.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, local), file.path(fx, "localmoran.csv"), row.names = FALSE, quote = FALSE)
print(do.call(rbind, rows))
cat(R.version.string, "spdep", as.character(packageVersion("spdep")), "\n")
