"""Call simulator: the learner phones a late payer, the simulator plays the debtor."""

__version__ = "0.1.0"

from .dates import parse_date
from .scenario import ScenarioError, Scenario, load_scenario, scenario_to_dict
from .session import CallEnded, Reply, Session

__all__ = ["__version__", "parse_date", "load_scenario", "scenario_to_dict", "Scenario",
           "ScenarioError", "Session", "Reply", "CallEnded"]
