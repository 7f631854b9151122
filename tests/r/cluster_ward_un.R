# Reference values for egoveval's Ward clustering (issue 2).
# Run from the repository root:  Rscript tests/r/cluster_ward_un.R
# Input: tests/data/un_egdi_2018.csv (UN E-Government Survey 2018, real public data).
# Output: tests/fixtures/r/cluster/ward_un_*.csv
un <- read.csv("tests/data/un_egdi_2018.csv", stringsAsFactors = FALSE)
X <- scale(un[, c("osi", "hci", "tii")])           # z-scores with the n-1 SD, as SPSS
hc <- hclust(dist(X), method = "ward.D2")
out <- "tests/fixtures/r/cluster"
dir.create(out, recursive = TRUE, showWarnings = FALSE)
write.csv(data.frame(stage = seq_along(hc$height), height = sprintf("%.17g", hc$height)),
          file.path(out, "ward_un_heights.csv"), row.names = FALSE, quote = FALSE)
write.csv(data.frame(stage = seq_len(nrow(hc$merge)), m1 = hc$merge[, 1], m2 = hc$merge[, 2]),
          file.path(out, "ward_un_merge.csv"), row.names = FALSE, quote = FALSE)
mem <- sapply(2:8, function(k) cutree(hc, k = k))
colnames(mem) <- paste0("k", 2:8)
write.csv(data.frame(iso3 = un$iso3, mem), file.path(out, "ward_un_membership.csv"),
          row.names = FALSE, quote = FALSE)
# ward.D on squared distances: same merges, heights 2*dESS
hc2 <- hclust(dist(X)^2, method = "ward.D")
write.csv(data.frame(stage = seq_along(hc2$height), height = sprintf("%.17g", hc2$height)),
          file.path(out, "ward_D_sq_un_heights.csv"), row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("cluster", packageVersion("cluster"))),
           file.path(out, "ward_un_R_version.txt"))
