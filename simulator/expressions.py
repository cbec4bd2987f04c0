"""Small, safe arithmetic that authors write, such as the amount due of a call::

    amount_due: "principal + si(penalites_retirees, 0, penalites + indemnite)"

Numbers, names (the invoice's `principal` and the scenario's state variables), `+ - * /`,
parentheses, comparisons, `and`/`or`/`not`, and the functions `si(condition, alors, sinon)`
(as in a spreadsheet), `min`, `max` and `arrondi(x, décimales)`. Nothing else is evaluated:
no attribute, no other call, no import. Parsed once with `ast`, evaluated at every use.
"""

from __future__ import annotations

import ast
import math
import operator

__all__ = ["ExpressionError", "parse", "evaluate", "names_in"]


class ExpressionError(ValueError):
    """The expression is not allowed or cannot be evaluated (French message)."""


_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_CMP = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
        ast.Eq: operator.eq, ast.NotEq: operator.ne}
FUNCTIONS = ("si", "min", "max", "arrondi")


def parse(text: str) -> ast.Expression:
    """Parse and check an expression; raise ExpressionError saying what is not allowed."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("attendu une expression comme « principal + penalites »")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise ExpressionError("expression mal écrite : vérifiez les parenthèses et les opérateurs "
                              "(+ - * /) ; les décimales s’écrivent avec un point (48.77)") from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare,
                             ast.Name, ast.Load, ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd,
                             *_BIN, *_CMP)):
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, bool)):
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in FUNCTIONS and not node.keywords:
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            import difflib

            close = difflib.get_close_matches(node.func.id, FUNCTIONS, n=1)
            raise ExpressionError(f"fonction inconnue « {node.func.id} »"
                                  + (f" (vouliez-vous dire « {close[0]} » ?)" if close else "")
                                  + " : fonctions possibles : " + ", ".join(FUNCTIONS))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            raise ExpressionError("texte entre guillemets dans la formule : seuls les nombres et les noms "
                                  "de variables sont acceptés")
        raise ExpressionError("élément non autorisé dans l’expression : seuls les nombres, les noms, "
                              "+ - * / ( ), les comparaisons, and/or/not et les fonctions "
                              + ", ".join(FUNCTIONS) + " sont acceptés")
    return tree


def names_in(tree: ast.AST) -> set:
    """The variable names an expression reads (function names excluded)."""
    calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in calls}


def evaluate(tree: ast.AST, names: dict) -> float:
    """The value of a parsed expression with these names (booleans count as 1 and 0)."""

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise ExpressionError(f"nom inconnu « {node.id} »")
            return names[node.id]
        if isinstance(node, ast.BinOp):
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise ExpressionError("division par zéro")
            return _BIN[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp):
            value = ev(node.operand)
            if isinstance(node.op, ast.Not):
                return not value
            return -value if isinstance(node.op, ast.USub) else +value
        if isinstance(node, ast.BoolOp):
            values = [ev(v) for v in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Compare):
            left = ev(node.left)
            for op, right_node in zip(node.ops, node.comparators):
                right = ev(right_node)
                if not _CMP[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.Call):
            name = node.func.id
            args = node.args
            if name == "si":
                if len(args) != 3:
                    raise ExpressionError("si(condition, valeur si vrai, valeur si faux) attend trois éléments")
                return ev(args[1]) if ev(args[0]) else ev(args[2])
            values = [ev(a) for a in args]
            if name in ("min", "max"):
                if not values:
                    raise ExpressionError(f"{name}(…) attend au moins un nombre")
                return (min if name == "min" else max)(values)
            if len(values) not in (1, 2):
                raise ExpressionError("arrondi(nombre, décimales) attend un ou deux éléments")
            return round(values[0], int(values[1]) if len(values) == 2 else 0)
        raise ExpressionError("élément non autorisé")  # pragma: no cover - parse() refused it

    try:
        value = ev(tree)
    except TypeError:
        raise ExpressionError("l’expression mélange des nombres et des textes") from None
    if isinstance(value, bool):
        value = float(value)
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ExpressionError("l’expression ne donne pas un nombre")
    return float(value)
