"""Benchmark of the call simulator (`make bench`; not a test).

Measures Session.say over a varied set of learner lines (every scenario, several
seeds), a 10 000-character line, pathological inputs for the regular expressions,
and the full debrief. Targets (CPython on the project machines): median reply
< 5 ms (ideally < 2 ms), 10 000-character line < 50 ms.

    python bench/bench_simulator.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator import Session, load_scenario  # noqa: E402
from simulator.understand import analyse  # noqa: E402

VARIED = [
    "Bonjour Monsieur, je vous appelle au sujet de la facture de novembre.",
    "Que se passe-t-il ?",
    "Je comprends tout à fait, ce n'est pas une période facile.",
    "Quand pensez-vous pouvoir la régler ?",
    "Quel jour exactement ?",
    "J'ai besoin d'une date précise, pas « dans quelques jours ».",
    "Par quel moyen allez-vous payer ? Virement ou chèque ?",
    "Vous réglerez la totalité, 1 250 € ?",
    "Pouvez-vous faire le virement jeudi à midi ?",
    "On peut envisager un échéancier en trois fois, avec un premier versement cette semaine.",
    "Quel est le numéro du chèque, son montant et la date d'envoi ?",
    "Vous avez signé le bon de livraison sans réserve le 15 octobre.",
    "Quand voyez-vous votre comptable ? À quelle heure pouvez-vous me rappeler ?",
    "Si je récapitule : un virement de 1 250 euros jeudi 26 novembre, c'est bien ça ?",
    "Je vous envoie un mail récapitulatif aujourd'hui.",
    "Je vous rappellerai vendredi si je n'ai rien reçu.",
    "D'accord, pas de souci, j'attends votre appel.",
    "Je ne peux pas accepter ça.",
    "VOUS DEVEZ PAYER !!!",
    "Sinon ce sera le tribunal.",
    "mille deux cents euros le 3 décembre",
    "qd vs payez ? jsuis pressé",
    "",
    "🙂🙂🙂",
    "<script>alert('x')</script>",
    "Merci, bonne journée, au revoir.",
]
EVIL = ["1 " * 5000, "111 " * 2500, "a" * 10000, "de " * 3300, "!" * 10000, "je vous " * 1250,
        "9" * 10000, "F-" + "1-" * 5000, "quand " * 1700]
LONG_LINE = ("Bonjour, je voudrais savoir quand vous allez payer la facture de 1 250 euros, "
             "par virement jeudi ou par chèque vendredi ? ") * 80


def percentile(values, q):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="seeds per scenario (default 3)")
    args = parser.parse_args(argv)

    scenarios = [load_scenario(p) for p in sorted((ROOT / "exercises" / "appels").glob("*.yml"))]
    lines = VARIED + [line for sc in scenarios for ex in sc["examples"] for line in ex["lines"]]
    print(f"Python {sys.version.split()[0]} on {sys.platform}; {len(scenarios)} scenarios, "
          f"{len(set(lines))} distinct learner lines")

    # Warm-up (imports, regex caches).
    s = Session(scenarios[0])
    for line in VARIED[:5]:
        s.say(line)

    timings = []
    debriefs = []
    for seed in range(args.rounds):
        for sc in scenarios:
            # Whole example calls, then the varied lines, each in a fresh session (the call
            # ends on a goodbye or an insult, so a new session is opened when needed).
            for script in [ex["lines"] for ex in sc["examples"]] + [VARIED]:
                s = Session(sc, seed=seed)
                for line in script:
                    if s.ended:
                        s = Session(sc, seed=seed)
                    t0 = time.perf_counter()
                    s.say(line)
                    timings.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                s.debrief()
                debriefs.append(time.perf_counter() - t0)

    long_times = []
    for _ in range(5):
        s = Session(scenarios[0])
        t0 = time.perf_counter()
        s.say(LONG_LINE[:10_000])
        long_times.append(time.perf_counter() - t0)

    evil_worst = 0.0
    for text in EVIL:
        t0 = time.perf_counter()
        analyse(text)
        evil_worst = max(evil_worst, time.perf_counter() - t0)

    median = statistics.median(timings)
    p95 = percentile(timings, 0.95)
    print(f"Session.say   : {len(timings)} replies  median {ms(median)}  p95 {ms(p95)}  "
          f"max {ms(max(timings))}")
    print(f"10 000 chars  : median {ms(statistics.median(long_times))}  max {ms(max(long_times))}")
    print(f"regex stress  : worst of {len(EVIL)} pathological 10k inputs {ms(evil_worst)}")
    print(f"debrief()     : median {ms(statistics.median(debriefs))}")
    ok = median < 0.005 and max(long_times) < 0.050
    print("targets (median < 5 ms, 10k line < 50 ms):", "met" if ok else "NOT MET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
