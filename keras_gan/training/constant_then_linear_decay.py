"""A learning rate that stays constant, then falls linearly to a final value."""

import keras

from keras_gan.validation import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class ConstantThenLinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Constant learning rate, then a linear decay over the last steps.

    lr(t) = lr0                                  for t <= decay_start
    lr(t) = lr0 + (final - lr0) * (t - decay_start) / (total_steps - decay_start)
    lr(t) = final                                for t >= total_steps

    with `decay_start = total_steps - decay_steps`. Annealing the rate at the
    end of GAN training shrinks the oscillation of G and D around their
    equilibrium (as in BigGAN-style and StyleGAN2-ADA fine-tuning schedules).

    Args:
        learning_rate: the constant rate `lr0`.
        total_steps: the step at which the rate reaches `final_learning_rate`.
        decay_steps: length of the linear decay (at most `total_steps`).
        final_learning_rate: the rate at and after `total_steps` (default 0).

    Returns:
        A `keras.optimizers.schedules.LearningRateSchedule`.

    Example:
        >>> lr = ConstantThenLinearDecay(1e-3, total_steps=8000, decay_steps=4000)
        >>> opt = keras.optimizers.Adam(lr, beta_1=0.0, beta_2=0.99)
    """

    def __init__(self, learning_rate, total_steps, decay_steps, final_learning_rate=0.0):
        self.learning_rate = float(learning_rate)
        self.total_steps = check_positive_int("total_steps", total_steps)
        self.decay_steps = check_positive_int("decay_steps", decay_steps)
        self.final_learning_rate = float(final_learning_rate)
        if self.decay_steps > self.total_steps:
            raise ValueError(
                "decay_steps must be at most total_steps. "
                f"Received: decay_steps={decay_steps}, total_steps={total_steps}"
            )
        if self.learning_rate <= 0 or self.final_learning_rate < 0:
            raise ValueError(
                "learning_rate must be > 0 and final_learning_rate >= 0. Received: "
                f"learning_rate={learning_rate}, final_learning_rate={final_learning_rate}"
            )

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        start = float(self.total_steps - self.decay_steps)
        frac = keras.ops.clip((step - start) / float(self.decay_steps), 0.0, 1.0)
        return self.learning_rate + (self.final_learning_rate - self.learning_rate) * frac

    def get_config(self):
        return {
            "learning_rate": self.learning_rate,
            "total_steps": self.total_steps,
            "decay_steps": self.decay_steps,
            "final_learning_rate": self.final_learning_rate,
        }
