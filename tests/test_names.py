"""Deprecated argument names (issue 38): old names still work, warn once, and
never mix with the new ones; configs carry only the new names; old run
records still read."""

import json
import os
import warnings

import pytest

import keras_gan
from keras_gan.utils.run_record import read_run_record
from keras_gan.utils.run_record import write_run_record

C = keras_gan.callbacks
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (class, fixed args, old kwargs, the same in new names)
RENAMES = [
    (C.Checkpoint, ("d",), {"every_n_steps": 5}, {"save_freq": 5}),
    (C.Checkpoint, ("d",), {"every_n_steps": None}, {"save_freq": "epoch"}),
    (C.Checkpoint, ("d",), {"every_n_epochs": 0}, {"epoch_freq": 0}),
    (C.SampleGrid, ("d",), {"n": 16}, {"n_samples": 16}),
    (C.SampleGrid, ("d",), {"every": 3}, {"epoch_freq": 3}),
    (C.EvaluationCallback, (), {"every": 4}, {"epoch_freq": 4}),
    (C.TensorBoardLogger, ("d",), {"images_every": 0}, {"image_freq": 0}),
    (C.TensorBoardLogger, ("d",), {"n": 9}, {"n_samples": 9}),
    (C.DivergenceGuard, (), {"check_weights_every": 7}, {"check_freq": 7}),
    (C.DivergenceGuard, (), {"check_weights_every": 0}, {"check_freq": "epoch"}),
]
IDS = [f"{cls.__name__}-{next(iter(old))}={next(iter(old.values()))}"
       for cls, _, old, _ in RENAMES]


@pytest.mark.parametrize("cls, args, old, new", RENAMES, ids=IDS)
def test_old_name_warns_once_and_gives_the_new_config(cls, args, old, new):
    with pytest.warns(DeprecationWarning, match=f"`{next(iter(new))}`") as caught:
        deprecated = cls(*args, **old)
    assert len([w for w in caught if w.category is DeprecationWarning]) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        current = cls(*args, **new)
    assert deprecated.get_config() == current.get_config()
    assert not set(old) & set(current.get_config())  # only the new names


@pytest.mark.parametrize("cls, args, old, new", RENAMES, ids=IDS)
def test_old_and_new_name_together_are_refused(cls, args, old, new):
    (old_name, _), (new_name, _) = next(iter(old.items())), next(iter(new.items()))
    other = 11 if new_name != "save_freq" else 12
    with pytest.raises(ValueError, match=f"Received: {old_name}=.*{new_name}={other}"):
        cls(*args, **old, **{new_name: other})


@pytest.mark.parametrize("cls, args, old, new", RENAMES, ids=IDS)
def test_config_round_trip_and_old_config(cls, args, old, new):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        current = cls(*args, **new)
        config = current.get_config()
        assert cls.from_config(config).get_config() == config
    old_config = {k: v for k, v in config.items() if k not in new} | old
    with pytest.warns(DeprecationWarning):
        assert cls.from_config(old_config).get_config() == config


def test_unknown_keyword_is_still_a_type_error():
    with pytest.raises(TypeError, match="evry"):
        C.Checkpoint("d", evry=3)


def test_functions_and_properties_renamed():
    from keras_gan.utils.image_grid import class_grid_labels

    with pytest.warns(DeprecationWarning, match="n_samples"):
        old = class_grid_labels(10, n=16)
    new = class_grid_labels(10, n_samples=16)
    assert old[1] == new[1] and (old[0] == new[0]).all()
    G = keras_gan.models.dcgan_generator(8, (8, 8, 1), filters=(8, 8, 4))
    D = keras_gan.models.dcgan_discriminator((8, 8, 1), filters=(4, 8))
    gan = keras_gan.GAN(G, D, latent_dim=8)
    assert tuple(gan.image_shape) == (8, 8, 1)
    with pytest.warns(DeprecationWarning, match="image_shape"):
        assert gan.sample_shape == gan.image_shape


def test_cli_deprecated_flag_warns_on_stderr(capsys):
    import argparse

    from keras_gan.utils.deprecation import add_deprecated_flag

    p = argparse.ArgumentParser()
    p.add_argument("--save-freq", type=int, default=200)
    add_deprecated_flag(p, "--checkpoint-every", "--save-freq", dest="save_freq", type=int)
    assert p.parse_args([]).save_freq == 200
    assert p.parse_args(["--checkpoint-every", "5"]).save_freq == 5
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--checkpoint-every is deprecated; use --save-freq" in err
    assert "--checkpoint-every" not in p.format_help()


OLD_RECORDS = {
    "cli": {"step": 6, "seconds_this_run": 1.5, "history": {"d_loss": [1.0, 0.9]},
            "epoch_logs": [{"step": 3, "d_loss": 1.0}, {"step": 6, "d_loss": 0.9}]},
    "example": {"backend": "jax", "data": "mnist.npz", "images": 64, "recipe": "dcgan",
                "batch_size": 32, "steps": 6, "seconds": 1.5, "max_minutes": None,
                "stopped_by_time_limit": False, "tf_enable_onednn_opts": "1",
                "history": {"d_loss": [1.0, 0.9]},
                "epoch_logs": [{"step": 3, "d_loss": 1.0}, {"step": 6, "d_loss": 0.9}]},
    "zoo": {"backend": "tensorflow", "epochs": 2, "steps": 6, "wall_seconds": 1.5,
            "hardware": "x86_64, 2 CPU cores", "tf_enable_onednn_opts": "1",
            "history": {"d_loss": [1.0, 0.9]}},
}


@pytest.mark.parametrize("kind", sorted(OLD_RECORDS))
def test_old_run_records_read(kind, tmp_path):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(OLD_RECORDS[kind]))
    record = read_run_record(str(path))
    assert record["schema_version"] == 1
    assert record["steps"] == 6 and record["timing"]["seconds"] == 1.5
    assert record["history"]["d_loss"] == [1.0, 0.9]
    if kind != "zoo":
        assert [e["step"] for e in record["epoch_logs"]] == [3, 6]
    if kind == "zoo":
        assert record["config"]["epochs"] == 2 and record["machine"].endswith("CPU cores")


def test_committed_baseline_record_reads():
    path = os.path.join(ROOT, "zoo", "baselines", "tf_tutorial_dcgan-5ep.json")
    record = read_run_record(path)
    assert record["config"]["epochs"] == 5 and record["steps"] > 0
    assert record["timing"]["seconds"] > 0 and "fid" in record["metrics"]


def test_run_record_round_trip(tmp_path):
    path = str(tmp_path / "out" / "history.json")
    written = write_run_record(path, steps=6, history={"d_loss": [1.0]},
                               epoch_logs=[{"step": 6, "d_loss": 1.0}],
                               timing={"seconds": 2.0, "runs": 1}, config={"recipe": "dcgan"})
    record = read_run_record(path)
    assert record == written
    assert record["schema"] == "keras_gan.run_record" and record["keras_gan_version"]
    with pytest.raises(ValueError, match="schema_version=99"):
        read_run_record(dict(record, schema_version=99))
