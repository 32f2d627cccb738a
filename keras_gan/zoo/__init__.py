"""Pretrained generators on the Hugging Face Hub: load, list, save and publish.

    >>> G = keras_gan.zoo.load("mnist-dcgan")        # zoo name, hf:// handle or folder
    >>> images = G.generate(16, seed=0)               # numpy, in [-1, 1]
    >>> keras_gan.zoo.save_folder(gan, "my-gan")      # config, weights, card, grid
    >>> keras_gan.zoo.publish(gan, "me/my-gan")       # upload with huggingface_hub
    >>> keras_gan.zoo.release(["mnist-dcgan"])        # maintainers: publish, re-pin the zoo
"""

from keras_gan.zoo.hub_folder import load_folder
from keras_gan.zoo.hub_folder import save_folder
from keras_gan.zoo.load import list_models
from keras_gan.zoo.load import load
from keras_gan.zoo.model_card import model_card
from keras_gan.zoo.publish import publish
from keras_gan.zoo.release import release
