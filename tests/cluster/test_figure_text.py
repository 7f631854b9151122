"""Text in the cluster figures: channel names wrapped to their span in the heatmap, the
dendrogram's cut label and title in both languages with the linkage actually used."""

import matplotlib
import numpy as np
import pandas as pd
import pytest

from egoveval.cluster import build_tree
from egoveval.cluster.diagnostic_figures import heatmap_axes
from egoveval.cluster.figures import dendrogram_figure
from egoveval.report.fonts import figure_style

matplotlib.use("Agg")

CHANNELS = {"a1": "platform", "a2": "platform", "b1": "app", "b2": "app", "c1": "mini", "c2": "mini"}
CHANNEL_NAMES = {"platform": ("国家政务服务平台（地方部门栏目）", "National government service platform (provincial section)"),
                 "app": ("政务服务移动应用程序", "Government service mobile applications"),
                 "mini": ("微信与支付宝政务小程序", "WeChat and Alipay government mini programs")}


def _channel_label_boxes(lang):
    zm = pd.DataFrame(np.linspace(-1, 1, 18).reshape(3, 6), index=[1, 2, 3], columns=list(CHANNELS))
    with figure_style():
        fig = heatmap_axes(zm, channels=CHANNELS, channel_names=CHANNEL_NAMES, lang=lang)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        top = fig.axes[0].child_axes[0]
        labels = [t for t in top.get_xticklabels() if t.get_text()]
        boxes = [t.get_window_extent(renderer) for t in labels]
        ax_box = fig.axes[0].get_window_extent(renderer)
        texts = [t.get_text() for t in labels]
        matplotlib.pyplot.close(fig)
    return boxes, ax_box, texts


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_heatmap_channel_labels_do_not_overlap(lang):
    boxes, ax_box, texts = _channel_label_boxes(lang)
    assert len(boxes) == 3
    for left, right in zip(boxes, boxes[1:]):
        assert left.x1 <= right.x0, f"{lang}: channel labels overlap: {texts}"
    assert boxes[0].x0 >= ax_box.x0 - 2 and boxes[-1].x1 <= ax_box.x1 + 2
    if lang != "zh":  # the English names are longer than their span: wrapped, not cut
        assert all("\n" in t for t in texts), texts
    assert "".join(texts[0].split()).replace("\n", "").startswith("国家政务服务平台" if lang != "en" else "National")


def _dendrogram_svg(method, lang):
    X = np.array([[0.0, 0.0], [0.2, 0.1], [5.0, 5.0], [5.1, 4.9], [9.0, 0.0]])
    t = build_tree(X, [f"synthetic{i}" for i in range(5)], method)
    return dendrogram_figure(t, list(t.labels), 2, lang=lang)[1].decode("utf-8")


def test_dendrogram_cut_label_and_title_are_bilingual_and_name_the_linkage():
    svg = _dendrogram_svg("average", "both")
    for part in ("切分为 2 类", "cut at k = 2", "组间平均联接法", "average (between-groups) linkage"):
        assert part in svg, part
    assert "Ward" not in svg
    en = _dendrogram_svg("ward", "en")
    assert "cut at k = 2" in en and "切分" not in en and "Ward's method" in en
