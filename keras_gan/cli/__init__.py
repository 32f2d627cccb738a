"""The `keras-gan` command line (entry point: `keras_gan.cli.launcher.main`)."""
