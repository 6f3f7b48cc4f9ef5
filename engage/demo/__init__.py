"""The demo consortium: the IC2PerMed EU–China personalised-medicine roadmap project (Beccia et al., Front. Med.
2025, CC BY 4.0) in mid-flight, with dates relative to the day it is loaded (`flask engage seed --demo`).

One module per feature, each telling its part through that feature's services on the demo's clock; seed.py
tells the whole story in the order it happened. People are fictional.
"""

from engage.demo.accounts import DEMO_PASSWORD, demo_accounts
from engage.demo.seed import DemoRefused, seed_demo

__all__ = ["DEMO_PASSWORD", "DemoRefused", "demo_accounts", "seed_demo"]
