"""budgetlens: Chinese government budget and final-account disclosures as clean, checked data."""

__version__ = "0.1.0"
