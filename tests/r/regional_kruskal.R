# Reference Kruskal–Wallis (R kruskal.test, tie-corrected), one-way ANOVA (oneway.test with
# var.equal = TRUE) and Dunn's z with Holm adjustment (computed here from Dunn's 1964 formula
# with R's rank() and p.adjust(); the dunn.test package is not installed).
# Run from the repository root:  Rscript tests/r/regional_kruskal.R
d <- data.frame(
  region = rep(c("East", "Central", "West", "Northeast"), times = c(10, 6, 13, 3)),
  value = c(88, 92, 85, 85, 90, 78, 95, 85, 81, 90,      # East: ties at 85, 90
            70, 74, 70, 81, 66, 74,                      # Central
            60, 55, 70, 62, 58, 55, 66, 49, 60, 70, 52, 58, 61,  # West
            66, 72, 58))                                 # Northeast
dir.create("tests/fixtures/r/regional", recursive = TRUE, showWarnings = FALSE)
write.csv(d, "tests/fixtures/r/regional/kruskal_input.csv", row.names = FALSE, quote = FALSE)
kw <- kruskal.test(value ~ factor(region, levels = c("East", "Central", "West", "Northeast")), data = d)
av <- oneway.test(value ~ region, data = d, var.equal = TRUE)
res <- data.frame(test = c("kruskal_wallis", "anova_oneway"),
                  statistic = sprintf("%.17g", c(kw$statistic, av$statistic)),
                  df = sprintf("%.17g", c(kw$parameter, av$parameter[1])),
                  df2 = c(NA, sprintf("%.17g", av$parameter[2])),
                  p = sprintf("%.17g", c(kw$p.value, av$p.value)))
write.csv(res, "tests/fixtures/r/regional/kruskal.csv", row.names = FALSE, quote = FALSE)
print(res)
# Dunn (1964) with tie correction: no longer written as the fixture; dunn.csv comes from
# scikit-posthocs (tests/r/regional_dunn_posthocs.py). Kept as a cross-check, printed only.
r <- rank(d$value); N <- length(r)
t <- table(d$value); ties <- sum(t^3 - t)
s2 <- N * (N + 1) / 12 - ties / (12 * (N - 1))
lev <- c("East", "Central", "West", "Northeast")
pairs <- t(combn(lev, 2))
z <- apply(pairs, 1, function(p) {
  a <- r[d$region == p[1]]; b <- r[d$region == p[2]]
  (mean(a) - mean(b)) / sqrt(s2 * (1 / length(a) + 1 / length(b)))
})
pv <- 2 * pnorm(abs(z), lower.tail = FALSE)
dunn <- data.frame(region_a = pairs[, 1], region_b = pairs[, 2], z = sprintf("%.17g", z),
                   p = sprintf("%.17g", pv), p_holm = sprintf("%.17g", p.adjust(pv, "holm")))
print(dunn)
