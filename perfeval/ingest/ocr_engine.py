"""The text recogniser: one lazily loaded rapidocr engine per process, with its models from the
installed wheel (never downloaded).

Only the recognition model is used on the table path (crops of text lines found from the page's own
geometry, recognised in batches); :func:`recognise` returns, per crop, the text, the mean character
confidence and the lowest one (a single doubtful digit shows in the lowest).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .errors import OcrUnavailableError

_LOCK = threading.Lock()
_ENGINE: Any = None

#: The detection, recognition and direction models inside the rapidocr 3.x wheel.
MODEL_FILES = {
    "Det.model_path": "PP-OCRv6_det_small.onnx",
    "Rec.model_path": "PP-OCRv6_rec_small.onnx",
    "Cls.model_path": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


class Recognised(NamedTuple):
    text: str
    score: float
    lowest: float


def _unavailable(detail: str) -> OcrUnavailableError:
    return OcrUnavailableError(
        "文字识别组件不可用，无法读取扫描件或图片；请运行 pip install -e . 重新安装 perfeval（含 rapidocr、onnxruntime）",
        english=f"OCR engine unavailable: {detail}",
    )


def model_params() -> dict[str, Any]:
    """rapidocr parameters pointing at the bundled model files (so nothing is fetched at run time)."""
    try:
        import rapidocr
    except ImportError as exc:
        raise _unavailable(str(exc)) from None
    models = Path(rapidocr.__file__).parent / "models"
    params: dict[str, Any] = {"Global.log_level": "error"}
    for key, file in MODEL_FILES.items():
        path = models / file
        if not path.is_file():
            raise _unavailable(f"missing model {path}")
        params[key] = str(path)
    return params


def engine() -> Any:
    """The process's rapidocr engine (created on first use)."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            params = model_params()
            params["Rec.rec_batch_num"] = 12
            # rapidocr pads every crop to at least 320 px wide (at 48 px high); ours are mostly short
            # (a number, a label): padding them only to the widest of their batch halves the work.
            params["Rec.rec_img_shape"] = [3, 48, 48]
            from rapidocr import RapidOCR

            try:
                _ENGINE = RapidOCR(params=params)
            except Exception as exc:  # onnxruntime missing or a broken model file
                raise _unavailable(f"{type(exc).__name__}: {exc}") from None
    return _ENGINE


def recognise(crops: list[np.ndarray]) -> list[Recognised]:
    """The text of each gray crop holding one line of text."""
    if not crops:
        return []
    eng = engine()
    eng.return_word_box = True
    bgr = [np.ascontiguousarray(np.repeat(c[:, :, None], 3, axis=2)) for c in crops]
    with _LOCK:
        out = eng.recognize_txt(bgr)
    result = []
    for text, score, words in zip(out.txts, out.scores, out.word_results, strict=True):
        confs = list(getattr(words, "confs", None) or [score]) if text else [0.0]
        result.append(Recognised(text, float(score), float(min(confs))))
    return result
