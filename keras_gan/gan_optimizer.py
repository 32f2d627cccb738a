"""One optimizer object holding the generator's and the discriminator's optimizers."""

import keras


@keras.saving.register_keras_serializable(package="keras_gan")
class GANOptimizer(keras.optimizers.Optimizer):
    """Container for the two optimizers of a GAN, used as `model.optimizer`.

    Keras' trainers see one `model.optimizer`; on JAX only its `variables`
    travel through the stateless train step. This container lists the state of
    both inner optimizers, saves and restores both, and counts completed GAN
    steps (one generator update each) in its own `iterations`. Routing is by
    explicit variable lists, never by variable path (paths change when a model
    is reloaded).

    Args:
        generator_optimizer: optimizer (or identifier) for G.
        discriminator_optimizer: optimizer (or identifier) for D.
        name: name of the container.

    Example:
        >>> opt = GANOptimizer(keras.optimizers.Adam(2e-4, beta_1=0.5),
        ...                    keras.optimizers.Adam(2e-4, beta_1=0.5))
    """

    def __init__(
        self, generator_optimizer, discriminator_optimizer, name="gan_optimizer"
    ):
        super().__init__(learning_rate=0.0, name=name)
        g = keras.optimizers.get(generator_optimizer)
        d = keras.optimizers.get(discriminator_optimizer)
        if g is d:
            raise ValueError(
                "The generator and the discriminator need two separate "
                "optimizer instances (an optimizer keeps per-variable state). "
                f"Received the same object twice: {g!r}"
            )
        self.generator_optimizer = g
        self.discriminator_optimizer = d

    def build_pair(self, generator_variables, discriminator_variables):
        """Builds both inner optimizers on their variable lists."""
        self._g_vars = list(generator_variables)
        self._d_vars = list(discriminator_variables)
        if not self.generator_optimizer.built:
            self.generator_optimizer.build(self._g_vars)
        if not self.discriminator_optimizer.built:
            self.discriminator_optimizer.build(self._d_vars)
        self.built = True

    def build(self, var_list):
        # Built through `build_pair`; Keras may call this with the model's
        # full variable list, which carries no G/D routing.
        self.built = True

    @property
    def variables(self):
        return (
            self._variables[:]
            + self.generator_optimizer.variables
            + self.discriminator_optimizer.variables
        )

    def save_own_variables(self, store):
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        for i, variable in enumerate(self._variables):
            if str(i) in store:
                variable.assign(store[str(i)])

    def apply(self, grads, trainable_variables=None):
        raise NotImplementedError(
            "GANOptimizer is a container: apply gradients with "
            "`generator_optimizer` or `discriminator_optimizer`."
        )

    def finalize_variable_values(self, var_list):
        if getattr(self, "_g_vars", None) is not None:
            self.generator_optimizer.finalize_variable_values(self._g_vars)
            self.discriminator_optimizer.finalize_variable_values(self._d_vars)

    def get_config(self):
        return {
            "generator_optimizer": keras.optimizers.serialize(
                self.generator_optimizer
            ),
            "discriminator_optimizer": keras.optimizers.serialize(
                self.discriminator_optimizer
            ),
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("generator_optimizer", "discriminator_optimizer"):
            config[key] = keras.optimizers.deserialize(
                config[key], custom_objects=custom_objects
            )
        return cls(**config)
