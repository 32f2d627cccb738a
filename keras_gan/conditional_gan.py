"""`ConditionalGAN`: class-conditional adversarial training."""

import keras
from keras import ops

from keras_gan import validation
from keras_gan.gan import GAN
from keras_gan.validation import check_positive_int


_MISSING_LABELS = (
    "ConditionalGAN needs (samples, labels) batches, but the data yields "
    "samples only. Pass fit(images, labels) or a dataset of (images, labels). "
    "Received: y=None"
)


@keras.saving.register_keras_serializable(package="keras_gan")
class ConditionalGAN(GAN):
    """A class-conditional GAN (Mirza & Osindero, 2014) trained with `fit()`.

    The data yields `(samples, labels)` with integer labels in
    `[0, num_classes)`. The generator takes `[z, labels]` and the
    discriminator `[samples, labels]` (e.g.
    `keras_gan.models.conditional_dcgan_generator` and the projection
    discriminator `keras_gan.models.conditional_dcgan_discriminator`,
    Miyato & Koyama, 2018). Fakes are generated for the labels of the real
    batch, so the class balance of the data is kept.

    Args:
        generator: conditional generator, inputs `[z, labels]`.
        discriminator: conditional discriminator, inputs `[samples, labels]`.
        latent_dim: size of the noise vector.
        num_classes: number of classes.
        **kwargs: every other `keras_gan.GAN` argument (loss, penalty, ...).

    Example:
        >>> G = keras_gan.models.conditional_dcgan_generator(100, 10, (28, 28, 1))
        >>> D = keras_gan.models.conditional_dcgan_discriminator(10, (28, 28, 1))
        >>> gan = keras_gan.ConditionalGAN(G, D, latent_dim=100, num_classes=10)
        >>> gan.compile()
        >>> gan.fit(images, labels, epochs=5, batch_size=128)
        >>> sevens = gan.generate(16, labels=[7] * 16, seed=0)
    """

    conditional = True

    def __init__(self, generator, discriminator, latent_dim, num_classes, **kwargs):
        self.num_classes = check_positive_int("num_classes", num_classes, minimum=2)
        super().__init__(generator, discriminator, latent_dim, **kwargs)

    def _unpack(self, data):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if y is None:
            raise ValueError(_MISSING_LABELS)
        dtype = keras.backend.standardize_dtype(y.dtype)
        if "int" not in dtype:
            raise ValueError(
                "Class labels must be integers in "
                f"[0, {self.num_classes}). Received: y.dtype={dtype}"
            )
        return self._standardize_samples(x), ops.reshape(
            ops.cast(y, "int32"), (-1,)
        )

    def _check_numpy_batch(self, samples, labels):
        if labels is None:
            raise ValueError(_MISSING_LABELS)
        validation.check_samples(samples, self.image_shape, self.data_range)
        validation.check_labels(labels, self.num_classes)

    def _generator_inputs(self, z, labels):
        return [z, labels]

    def _discriminator_inputs(self, x, labels):
        return [x, labels]

    def get_config(self):
        config = super().get_config()
        config["num_classes"] = self.num_classes
        return config
