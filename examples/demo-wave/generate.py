#!/usr/bin/env python3
"""Generates the FICTITIOUS survey responses of the demo project (examples/demo-wave).

Nothing here was observed: the answers are drawn with a seeded pseudo-random generator, so
the same script always writes the same files (they are committed beside it). Run from any
folder:  python3 examples/demo-wave/generate.py

Wave 1 (2023): 260 actors, comma-delimited, no weights, broken down by region.
Wave 2 (2025): 412 actors, a `;`-delimited export as French Excel and KoboToolbox give it,
raw sector and region labels, weights with decimal commas, blanks, « NR » (no answer) and
« NSP » (don't know), a multi-select question in one column and one in 0/1 columns, a Likert
scale, a budget with decimal commas, the legal form (counts). The region « Sud » has 7
respondents (below min_n: suppressed), « Oriental » 22 (below caution_n: a caution mark).
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def pick(rng, weights):
    """A key of `weights` drawn with those weights (dict order is kept)."""
    r = rng.random() * sum(weights.values())
    for k, w in weights.items():
        r -= w
        if r <= 0:
            return k
    return k


def fr_number(x, digits=2):
    return f"{x:.{digits}f}".replace(".", ",")


def wave1():
    rng = random.Random(2023)
    rows = ["id,region,financement_difficile,confiance,budget"]
    regions = {"nord": 120, "centre": 110, "sud": 30}
    i = 0
    for region, count in regions.items():
        for _ in range(count):
            i += 1
            hard = pick(rng, {"Oui": 0.62 if region != "sud" else 0.7, "Non": 0.33, "NSP": 0.05})
            if rng.random() < 0.03:
                hard = ""
            trust = pick(rng, {"Oui": 0.48, "Non": 0.52})
            budget = round(rng.lognormvariate(11.2 if region == "nord" else 10.9, 0.8), -2)
            if rng.random() < 0.08:
                budget_s = ""
            else:
                budget_s = f"{budget:.0f}"
            rows.append(f"{i},{region},{hard},{trust},{budget_s}")
    return "\n".join(rows) + "\n"


def wave2():
    rng = random.Random(2025)
    sectors = {"Public": 0.18, "Privé": 0.30, "Associatif": 0.40, "Coopératif": 0.12}
    # Sampling weights bring the sectors back to their share among actors.
    sector_weight = {"Public": 0.80, "Privé": 1.30, "Associatif": 0.85, "Coopératif": 1.15}
    regions = [("Nord", 196), ("Centre", 187), ("Oriental", 22), ("Sud", 7)]
    header = [
        "id", "secteur", "region", "poids", "financement_difficile", "confiance",
        "freins", "aide_financement", "aide_competences", "aide_reseaux",
        "satisfaction", "budget", "forme",
    ]
    rows = [";".join(header)]
    i = 0
    for region, count in regions:
        for _ in range(count):
            i += 1
            sector = pick(rng, sectors)
            w = sector_weight[sector] * rng.uniform(0.8, 1.2)
            hard = pick(rng, {"Oui": 0.55 + (0.1 if sector == "Associatif" else 0), "Non": 0.37, "NSP": 0.08})
            if rng.random() < 0.04:
                hard = pick(rng, {"": 1, "NR": 1})
            trust = pick(rng, {"Oui": 0.58 if sector != "Public" else 0.7, "Non": 0.42})
            obstacles = [o for o, p in (("financement", 0.72), ("competences", 0.41), ("reseaux", 0.33), ("reglementation", 0.27)) if rng.random() < p]
            obstacles_s = " ".join(obstacles) if rng.random() > 0.05 else ""
            helps = [int(rng.random() < p) for p in (0.64, 0.38, 0.29)]
            if rng.random() < 0.04:
                helps_s = ["", "", ""]
            else:
                helps_s = [str(h) for h in helps]
            shift = {"Public": 0.4, "Privé": 0.1, "Associatif": -0.3, "Coopératif": 0.0}[sector]
            sat = min(5, max(1, round(rng.gauss(3.1 + shift, 1.1))))
            sat_s = str(sat) if rng.random() > 0.03 else "NR"
            budget = round(rng.lognormvariate(11.6 + (0.5 if sector == "Privé" else 0), 0.9), -1) / 10
            budget_s = fr_number(budget * 10, 1) if rng.random() > 0.07 else ""
            form = pick(rng, {"association": 0.45, "cooperative": 0.15, "entreprise": 0.28, "administration": 0.12})
            rows.append(";".join([
                str(i), sector, region, fr_number(w), hard, trust, obstacles_s,
                *helps_s, sat_s, budget_s, form,
            ]))
    return "\n".join(rows) + "\n"


def write(rel, text):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


if __name__ == "__main__":
    write("editions/2023-demo-vague-1/data/reponses.csv", wave1())
    write("editions/2025-demo-vague-2/data/reponses.csv", wave2())
