"""The `keras-gan` command line (entry point: `keras_gan_cli.main`)."""
