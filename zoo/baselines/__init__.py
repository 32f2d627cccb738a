"""Baselines the zoo recipes are compared with (`python -m zoo.baselines.tf_tutorial_dcgan`)."""
