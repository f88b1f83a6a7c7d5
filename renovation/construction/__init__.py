"""Construction oversight (过程监督): progress, problems and rectification, acceptance."""
