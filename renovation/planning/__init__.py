"""The plan (方案制订): budget, funding, firms, schedule, public notice."""
