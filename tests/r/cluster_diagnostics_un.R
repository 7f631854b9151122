# Reference values for egoveval's cluster diagnostics (issue 4).
# Run from the repository root:  Rscript tests/r/cluster_diagnostics_un.R
# Input: tests/data/un_egdi_2018.csv (UN E-Government Survey 2018, real public data),
#        osi, hci, tii as z-scores (n-1 SD, as SPSS and R scale()).
# Output: tests/fixtures/r/cluster/diag_un_*.csv and linkage_un_*.csv
suppressPackageStartupMessages({library(cluster); library(fpc)})
un <- read.csv("tests/data/un_egdi_2018.csv", stringsAsFactors = FALSE)
X <- scale(un[, c("osi", "hci", "tii")])
d <- dist(X)
out <- "tests/fixtures/r/cluster"
dir.create(out, recursive = TRUE, showWarnings = FALSE)
f17 <- function(x) sprintf("%.17g", x)
hc <- hclust(d, method = "ward.D2")

# 1. average silhouette width (cluster::silhouette) and Calinski-Harabasz (fpc::calinhara), k = 2..8
ks <- 2:8
sil <- sapply(ks, function(k) mean(silhouette(cutree(hc, k), d)[, "sil_width"]))
ch <- sapply(ks, function(k) calinhara(X, cutree(hc, k)))
write.csv(data.frame(k = ks, silhouette = f17(sil), calinski_harabasz = f17(ch)),
          file.path(out, "diag_un_kstats.csv"), row.names = FALSE, quote = FALSE)
s4 <- silhouette(cutree(hc, 4), d)
write.csv(data.frame(iso3 = un$iso3, cluster = s4[, "cluster"], neighbor = s4[, "neighbor"],
                     sil_width = f17(s4[, "sil_width"])),
          file.path(out, "diag_un_silhouette_k4.csv"), row.names = FALSE, quote = FALSE)

# 2. gap statistic, same convention as egoveval: d.power = 2 (W = pooled within SS / 2 in clusGap;
#    the factor cancels in the gap), Ward (ward.D2) reclustering, uniform reference over the range
#    of each column ("original") and over the principal-component box ("scaledPCA"), B = 500.
wardk <- function(x, k) list(cluster = cutree(hclust(dist(x), "ward.D2"), k))
for (h0 in c("original", "scaledPCA")) {
  set.seed(20180101)
  g <- clusGap(X, FUNcluster = wardk, K.max = 8, B = 500, d.power = 2, spaceH0 = h0, verbose = FALSE)
  tab <- as.data.frame(g$Tab)
  write.csv(data.frame(k = 1:8, logW = f17(tab$logW), E_logW = f17(tab$E.logW), gap = f17(tab$gap),
                       SE_sim = f17(tab$SE.sim),
                       k_tibs2001semax = maxSE(tab$gap, tab$SE.sim, method = "Tibs2001SEmax")),
            file.path(out, paste0("diag_un_gap_", h0, ".csv")), row.names = FALSE, quote = FALSE)
}

# 3. clusterboot: bootstrap (unique resampled units), Ward ward.D2 on the distance matrix, B = 200
rows <- list()
for (k in 3:5) {
  cb <- clusterboot(d, B = 200, distances = TRUE, bootmethod = "boot", clustermethod = disthclustCBI,
                    method = "ward.D2", k = k, seed = 4242 + k, count = FALSE)
  part <- cb$partition
  rows[[length(rows) + 1]] <- data.frame(k = k, cluster = seq_along(cb$bootmean),
                                         size = as.vector(table(part)), jaccard_mean = f17(cb$bootmean),
                                         dissolved = cb$bootbrd)
}
write.csv(do.call(rbind, rows), file.path(out, "diag_un_clusterboot.csv"), row.names = FALSE, quote = FALSE)

# 4. other linkages: hclust + cutree; centroid and median on squared Euclidean distances
link <- list(average = hclust(d, "average"), complete = hclust(d, "complete"),
             single = hclust(d, "single"), centroid = hclust(d^2, "centroid"),
             median = hclust(d^2, "median"),
             average_manhattan = hclust(dist(X, "manhattan"), "average"),
             complete_chebyshev = hclust(dist(X, "maximum"), "complete"))
for (nm in names(link)) {
  h <- link[[nm]]
  mem <- sapply(ks, function(k) cutree(h, k = k))
  colnames(mem) <- paste0("k", ks)
  write.csv(data.frame(iso3 = un$iso3, mem), file.path(out, paste0("linkage_un_", nm, "_membership.csv")),
            row.names = FALSE, quote = FALSE)
  write.csv(data.frame(stage = seq_along(h$height), height = f17(h$height), m1 = h$merge[, 1], m2 = h$merge[, 2]),
            file.path(out, paste0("linkage_un_", nm, "_tree.csv")), row.names = FALSE, quote = FALSE)
}

# 5. per-indicator tests at Ward k = 4 (on the z-scores)
cl <- cutree(hc, 4)
tests <- do.call(rbind, lapply(c("osi", "hci", "tii"), function(v) {
  kw <- kruskal.test(X[, v], factor(cl))
  av <- summary(aov(X[, v] ~ factor(cl)))[[1]]
  data.frame(indicator = v, kw_h = f17(kw$statistic), kw_p = f17(kw$p.value),
             anova_f = f17(av[1, "F value"]), anova_p = f17(av[1, "Pr(>F)"]),
             eta2 = f17(av[1, "Sum Sq"] / sum(av[, "Sum Sq"])))
}))
write.csv(tests, file.path(out, "diag_un_tests_k4.csv"), row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("cluster", packageVersion("cluster")), paste("fpc", packageVersion("fpc"))),
           file.path(out, "diag_un_R_version.txt"))
