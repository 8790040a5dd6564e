"""Issue 20 experiment: out-of-scope scores chosen on leave-intents-out folds of the training phrases only.

Issue 20, session 11 (branch issue-20c). Run from the repository root:
`PYTHONPATH=. .venv/bin/python docs/experiments/issue-20c/hint3_folds.py folds|folds2|folds3|test CONFIG...`
(folds2 reads folds.json, which folds writes). The *.log files beside it are the runs the README quotes.

Phase 1 (`folds`): every configuration scored on internal folds of each bot's training phrases (3 seeds); no test
query is read. Phase 2 (`test CONFIG...`): test MCC for the named configurations only, plus the baselines.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import sys
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_union
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from assistant.nlu.intent_model import build_features, fit_temperature, svm_scores

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[3] / "data" / "external" / "hint3"
OUT = Path(__file__).resolve().parent
BOTS = ("sofmattress", "curekart")
SEEDS = (42, 43, 44)
FOLD_SEEDS = SEEDS
FOLDS = 5
SWEEP = [i / 20 for i in range(21)]
TARGET = 0.25
AMBIGUITY = 0.02


def load_train(bot: str) -> tuple[list[str], np.ndarray]:
    texts, intents, intent = [], [], None
    for line in (ROOT / bot / "train.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r'^- intent: "?([^"]+)"?$', line)
        if m:
            intent = m.group(1)
            continue
        m = re.match(r"^    - (.*)$", line)
        if m and intent:
            texts.append(m.group(1).strip())
            intents.append(intent)
    return texts, np.asarray(intents)


def load_test(bot: str) -> tuple[list[str], np.ndarray]:
    with (ROOT / bot / "test.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return [r["text"] for r in rows], np.asarray([r["label"] for r in rows])


def mcc(truth: np.ndarray, pred: np.ndarray) -> float:
    tp = float(np.sum(truth & pred)); tn = float(np.sum(~truth & ~pred))
    fp = float(np.sum(~truth & pred)); fn = float(np.sum(truth & ~pred))
    d = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / d if d else 0.0


def best_mcc_any(score: np.ndarray, oos: np.ndarray) -> tuple[float, float]:
    """Best MCC over every threshold between observed scores (oos when score < t) and that threshold."""
    values = np.unique(score)
    cuts = np.concatenate([[values[0] - 1e-9], (values[:-1] + values[1:]) / 2, [values[-1] + 1e-9]])
    best = (-1.0, 0.0)
    for t in cuts:
        m = mcc(oos, score < t)
        if m > best[0]:
            best = (m, float(t))
    return best


# ---------------------------------------------------------------- learners: features + classifier -> raw outputs

def our_features():
    return build_features()


def char_features():  # ours plus plain word 1-2 (unstemmed): not used unless listed
    return make_union(build_features(), TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True))


def baseline_features():
    return make_union(TfidfVectorizer(ngram_range=(1, 2)), TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)))


class Raw:
    """Per query: class probabilities (or SVM scores, before temperature), nearest similarity overall and per class."""

    def __init__(self, scores, sim_any, sim_class, calibrated):
        self.scores, self.sim_any, self.sim_class, self.calibrated = scores, sim_any, sim_class, calibrated


def fit_predict(learner: str, Xtr, ytr, Xq, seed: int) -> tuple[np.ndarray, np.ndarray, bool]:
    classes = np.unique(ytr)
    if learner.startswith("svm"):
        svm = LinearSVC(C=float(learner[3:] or 2.0), class_weight="balanced", random_state=seed).fit(Xtr, ytr)
        return svm.classes_, svm_scores(svm, Xq), False
    if learner.startswith("lr"):
        C = float(learner[2:] or 10)
        lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(Xtr, ytr)
        return lr.classes_, lr.predict_proba(Xq), True
    raise ValueError(learner)


FEATURES = {"ours": our_features, "base": baseline_features}


def similarities(Xq, Xtr, ytr, classes):
    sims = (Xq @ Xtr.T).toarray()
    per_class = np.column_stack([sims[:, ytr == c].max(axis=1) for c in classes])
    return sims.max(axis=1), per_class


@lru_cache(maxsize=None)
def fold_raw(bot: str, feats: str, learner: str, seed: int):
    """Leave-intents-out folds: for each fold, raw outputs on held-out in-scope (known) and left-out intents' phrases."""
    texts, y = load_train(bot)
    X = normalize(FEATURES[feats]().fit_transform(texts))
    rng = np.random.default_rng(seed)
    names = np.unique(y)
    rng.shuffle(names)
    out = []
    for group in np.array_split(names, min(FOLDS, len(names))):
        kept = rng.permutation(np.flatnonzero(~np.isin(y, group)))
        n = max(1, len(kept) // FOLDS)
        held, train = kept[:n], kept[n:]
        unknown = np.flatnonzero(np.isin(y, group))
        q = np.concatenate([held, unknown])
        classes, sc, cal = fit_predict(learner, X[train], y[train], X[q], seed)
        sa, scl = similarities(X[q], X[train], y[train], classes)
        known = np.isin(y[q], classes)
        is_unknown = np.zeros(len(q), bool); is_unknown[len(held):] = True
        keep = known | is_unknown
        truth = np.where(known, np.searchsorted(classes, np.where(known, y[q], classes[0])), -1)
        lengths = np.asarray([len(texts[i].split()) for i in q])
        out.append(dict(lengths=lengths[keep], scores=sc[keep], sim_any=sa[keep], sim_class=scl[keep], oos=is_unknown[keep],
                        truth=truth[keep], cal=cal))
    return out


@lru_cache(maxsize=None)
def test_raw(bot: str, feats: str, learner: str, seed: int):
    texts, y = load_train(bot)
    qt, ql = load_test(bot)
    f = FEATURES[feats]()
    X = normalize(f.fit_transform(texts))
    Q = normalize(f.transform(qt))
    classes, sc, cal = fit_predict(learner, X, y, Q, seed)
    sa, scl = similarities(Q, X, y, classes)
    oos = ql == "oos"
    return dict(lengths=np.asarray([len(t.split()) for t in qt]), scores=sc, sim_any=sa, sim_class=scl, oos=oos, labels=ql, classes=classes, cal=cal)


# ---------------------------------------------------------------- configurations

def probabilities(raw_list, temperature):
    return [r["scores"] if r["cal"] else softmax(r["scores"] / temperature, axis=1) for r in raw_list]


def score_fn(kind: str, P: np.ndarray, sim_any: np.ndarray, sim_class: np.ndarray) -> np.ndarray:
    top = P.max(axis=1)
    srt = np.sort(P, axis=1)
    pred = P.argmax(axis=1)
    s_any = np.clip(sim_any, 1e-9, 1)
    s_int = np.clip(sim_class[np.arange(len(P)), pred], 1e-9, 1)
    if kind == "top":
        return top
    if kind == "margin":
        return srt[:, -1] - srt[:, -2]
    if kind.startswith("geo"):  # geo0.5: top^w * sim_any^(1-w)
        w = float(kind[3:])
        return top**w * s_any ** (1 - w)
    if kind.startswith("gint"):  # similarity to the predicted intent's nearest phrase
        w = float(kind[4:])
        return top**w * s_int ** (1 - w)
    if kind == "sim":
        return s_any
    raise ValueError(kind)


def meta_features(kind, P, sim_any, sim_class, lengths):
    srt = np.sort(P, axis=1)
    pred = P.argmax(axis=1)
    top = np.clip(srt[:, -1], 1e-9, 1)
    cols = [np.log(top), np.log(np.clip(sim_any, 1e-9, 1)), srt[:, -1] - srt[:, -2],
            np.log(np.clip(sim_class[np.arange(len(P)), pred], 1e-9, 1))]
    if kind == "metaB":
        cols += [-(P * np.log(np.clip(P, 1e-12, 1))).sum(axis=1), np.log1p(lengths)]
    return np.column_stack(cols)


def meta_fit(F, oos):
    return LogisticRegression(C=1.0, max_iter=1000).fit(F, ~oos)


def config_fold_eval_meta(bot, cfg, seed, return_model=False):
    feats, learner, kind = cfg
    raws = [fold_raw(bot, feats, l, seed) for l in learner.split("+")]
    temps, Ps = [], []
    for raw in raws:
        t = 1.0
        if not raw[0]["cal"]:
            ins = [(r["scores"][~r["oos"]], r["truth"][~r["oos"]]) for r in raw]
            t = fit_temperature([a for a, _ in ins], [b for _, b in ins])
        temps.append(t)
        Ps.append(probabilities(raw, t))
    P = [np.mean([p[i] for p in Ps], axis=0) for i in range(len(raws[0]))]
    base = raws[0]
    Fs = [meta_features(kind, p, r["sim_any"], r["sim_class"], r["lengths"]) for p, r in zip(P, base)]
    oos = [r["oos"] for r in base]
    scores = []
    for i in range(len(Fs)):
        model = meta_fit(np.vstack([F for j, F in enumerate(Fs) if j != i]),
                         np.concatenate([o for j, o in enumerate(oos) if j != i]))
        scores.append(model.predict_proba(Fs[i])[:, 1])
    score, oo = np.concatenate(scores), np.concatenate(oos)
    m, t = best_mcc_any(score, oo)
    right = np.concatenate([(p.argmax(axis=1) == r["truth"]) for p, r in zip(P, base)])
    acc = float(np.mean(right[~oo] & (score[~oo] >= t)))
    full = meta_fit(np.vstack(Fs), np.concatenate(oos))
    return (m, t, temps, acc, full) if return_model else (m, t, temps, acc)


def config_fold_eval(bot, cfg, seed):
    if cfg[2].startswith("meta"):
        return config_fold_eval_meta(bot, cfg, seed)
    """cfg = (feats, learner, score): the pooled fold best MCC, its threshold, the temperature."""
    feats, learner, kind = cfg
    learners = learner.split("+")
    raws = [fold_raw(bot, feats, l, seed) for l in learners]
    temps, Ps = [], []
    for raw in raws:
        t = 1.0
        if not raw[0]["cal"]:
            ins = [(r["scores"][~r["oos"]], r["truth"][~r["oos"]]) for r in raw]
            t = fit_temperature([a for a, _ in ins], [b for _, b in ins])
        temps.append(t)
        Ps.append(probabilities(raw, t))
    P = [np.mean([p[i] for p in Ps], axis=0) for i in range(len(raws[0]))]
    base = raws[0]
    score = np.concatenate([score_fn(kind, p, r["sim_any"], r["sim_class"]) for p, r in zip(P, base)])
    oos = np.concatenate([r["oos"] for r in base])
    m, t = best_mcc_any(score, oos)
    # in-scope accuracy among held-out known phrases at that threshold
    right = np.concatenate([(p.argmax(axis=1) == r["truth"]) for p, r in zip(P, base)])
    acc = float(np.mean(right[~oos] & (score[~oos] >= t)))
    return m, t, temps, acc


def rescale(score, threshold, target=TARGET):
    threshold = min(max(threshold, 1e-6), 1 - 1e-6)
    below = score * target / threshold
    above = target + (score - threshold) * (1 - target) / (1 - threshold)
    return np.clip(np.where(score < threshold, below, above), 0, 1)


def config_test_eval(bot, cfg, seed, threshold, temps):
    feats, learner, kind = cfg
    raws = [test_raw(bot, feats, l, seed) for l in learner.split("+")]
    Ps = [r["scores"] if r["cal"] else softmax(r["scores"] / t, axis=1) for r, t in zip(raws, temps)]
    P = np.mean(Ps, axis=0)
    r = raws[0]
    if kind.startswith("meta"):
        model = config_fold_eval_meta(bot, cfg, seed, return_model=True)[4]
        score = model.predict_proba(meta_features(kind, P, r["sim_any"], r["sim_class"], r["lengths"]))[:, 1]
    else:
        score = score_fn(kind, P, r["sim_any"], r["sim_class"])
    conf = rescale(score, threshold)
    return evaluate(P, conf, r)


def evaluate(P, conf, r):
    """Best sweep MCC on conf; shipped: conf < 0.25 or the FallbackClassifier's ambiguity rule."""
    oos = r["oos"]
    best = max(mcc(oos, conf < t) for t in SWEEP)
    srt = np.sort(P, axis=1)
    second = conf * srt[:, -2] / np.maximum(srt[:, -1], 1e-12)
    fallback = (conf < TARGET) | (conf - second < AMBIGUITY)
    shipped = mcc(oos, fallback)
    pred = r["classes"][P.argmax(axis=1)]
    acc = float(np.mean((pred == r["labels"])[~oos] & ~fallback[~oos]))
    rec = float(np.mean(fallback[oos]))
    return best, shipped, acc, rec


def baseline_test(bot, which):
    texts, y = load_train(bot)
    qt, ql = load_test(bot)
    if which == "tfidf":
        f = TfidfVectorizer(ngram_range=(1, 2)); C = 1.0; it = 1000
    else:
        f = baseline_features(); C = 10.0; it = 2000
    lr = LogisticRegression(C=C, max_iter=it, random_state=42).fit(f.fit_transform(texts), y)
    P = lr.predict_proba(f.transform(qt))
    r = dict(oos=ql == "oos", labels=ql, classes=lr.classes_)
    return evaluate(P, P.max(axis=1), r)


LEARNER_SETS = {
    "ours": ["svm", "lr10", "lr30", "svm+lr10"],
    "base": ["lr10", "svm"],
}
KINDS = ["top", "margin", "geo0.75", "geo0.5", "geo0.25", "gint0.5", "sim"]


def all_configs():
    return [(f, l, k) for f, ls in LEARNER_SETS.items() for l in ls for k in KINDS]


def phase_folds(configs=None, out=str(OUT / "folds.json")):
    rows = []
    for cfg in configs or all_configs():
        per_bot = {}
        for bot in BOTS:
            per_bot[bot] = [config_fold_eval(bot, cfg, s) for s in FOLD_SEEDS]
        ms = {b: np.mean([x[0] for x in v]) for b, v in per_bot.items()}
        accs = {b: np.mean([x[3] for x in v]) for b, v in per_bot.items()}
        per_seed = [np.mean([per_bot[b][i][0] for b in BOTS]) for i in range(len(FOLD_SEEDS))]
        rows.append((np.mean(list(ms.values())), cfg, ms, accs))
        print(f"{'/'.join(cfg):28s} fold MCC sof {ms['sofmattress']:.3f} cure {ms['curekart']:.3f} "
              f"mean {rows[-1][0]:.3f} seeds {np.round(per_seed, 3)} | fold in-scope acc {accs['sofmattress']:.3f} {accs['curekart']:.3f}",
              flush=True)
    rows.sort(key=lambda r: -r[0])
    print(f"\n{len(rows)} configurations; best on folds:")
    for r in rows[:8]:
        print(f"  {r[0]:.3f} {'/'.join(r[1])}")
    json.dump([[r[0], r[1]] for r in rows], open(out, "w"))


def phase_test(cfgs):
    for bot in BOTS:
        for which in ("tfidf", "tfidf-char"):
            b, s, a, rc = baseline_test(bot, which)
            print(f"{bot:12s} {which:26s} best {b:.3f} shipped {s:.3f} acc {a:.3f} recall {rc:.3f}")
        for cfg in cfgs:
            res = []
            for seed in SEEDS:
                m, t, temps, _ = config_fold_eval(bot, cfg, seed)
                res.append(config_test_eval(bot, cfg, seed, t, temps) + (t,))
            res = np.array(res)
            def fmt(i):
                return f"{res[:, i].mean():.3f} ({res[:, i].min():.3f}-{res[:, i].max():.3f})"
            print(f"{bot:12s} {'/'.join(cfg):26s} best {fmt(0)} shipped {fmt(1)} acc {fmt(2)} recall {fmt(3)}"
                  f" thr {res[:, 4].round(3)}", flush=True)


def main_rule_check():
    """Harness check only, not a candidate: main's committed rule (SVM, geo0.5, threshold = the 10 % quantile of the
    folds' in-scope scores), whose constants were picked on the test queries in round 1."""
    cfg = ("ours", "svm", "geo0.5")
    for bot in BOTS:
        res = []
        for seed in SEEDS:
            raw = fold_raw(bot, "ours", "svm", seed)
            ins = [(r["scores"][~r["oos"]], r["truth"][~r["oos"]]) for r in raw]
            t = fit_temperature([a for a, _ in ins], [b for _, b in ins])
            sc = np.concatenate([
                score_fn("geo0.5", softmax(r["scores"][~r["oos"]] / t, axis=1), r["sim_any"][~r["oos"]],
                         r["sim_class"][~r["oos"]])
                for r in raw
            ])
            res.append(config_test_eval(bot, cfg, seed, float(np.quantile(sc, 0.10)), [t]))
        res = np.array(res)
        print(bot, "main rule via harness: best %.3f (%.3f-%.3f) shipped %.3f (%.3f-%.3f)" % (
            res[:, 0].mean(), res[:, 0].min(), res[:, 0].max(), res[:, 1].mean(), res[:, 1].min(), res[:, 1].max()))


if __name__ == "__main__":
    if sys.argv[1] == "main-rule":
        main_rule_check()
    elif sys.argv[1] == "folds":
        phase_folds()
    elif sys.argv[1] == "folds3":
        FOLD_SEEDS = (42, 43, 44, 45, 46, 47)
        phase_folds([("ours", l, k) for l in ("svm", "svm+lr10") for k in ("metaA", "metaB")], str(OUT / "folds3.json"))
    elif sys.argv[1] == "folds2":
        FOLD_SEEDS = (42, 43, 44, 45, 46, 47)
        top = [tuple(c) for _, c in json.load(open(str(OUT / "folds.json")))[:8]]
        new = [("ours", l, k) for l in ("svm0.5", "svm1", "svm5") for k in ("top", "geo0.75")]
        new += [("ours", l, k) for l in ("svm", "svm+lr10", "lr10") for k in ("geo0.9", "geo0.6", "gint0.75")]
        phase_folds(top + new, str(OUT / "folds2.json"))
    else:
        phase_test([tuple(c.split("/")) for c in sys.argv[2:]])
