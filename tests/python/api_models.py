"""Small framework models for the Python API tests, built and seeded in the test process."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")


def torch_mlp(seed: int = 0):
    """The core benchmark's 16 -> 64 -> 32 -> 32 -> 5 MLP, with module names to trace by."""
    import torch

    torch.manual_seed(seed)

    class Mlp(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(16, 64)
            self.act1 = torch.nn.ReLU()
            self.fc2 = torch.nn.Linear(64, 32)
            self.act2 = torch.nn.ReLU()
            self.fc3 = torch.nn.Linear(32, 32)
            self.act3 = torch.nn.ReLU()
            self.out = torch.nn.Linear(32, 5)

        def forward(self, x):
            x = self.act1(self.fc1(x))
            x = self.act2(self.fc2(x))
            x = self.act3(self.fc3(x))
            return self.out(x)

    return Mlp().eval()


def torch_activations(seed: int = 1):
    """Table activations and a nested Sequential: sigmoid, tanh, leaky ReLU and softmax."""
    import torch

    torch.manual_seed(seed)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(8, 12)
            self.gate = torch.nn.Sigmoid()
            self.block = torch.nn.Sequential(torch.nn.Linear(12, 10), torch.nn.Tanh())
            self.fc3 = torch.nn.Linear(10, 6)
            self.leaky = torch.nn.LeakyReLU(0.125)
            self.head = torch.nn.Linear(6, 4)
            self.probs = torch.nn.Softmax(dim=-1)

        def forward(self, x):
            x = self.block(self.gate(self.fc1(x)))
            return self.probs(self.head(self.leaky(self.fc3(x))))

    return Net().eval()


def keras_mlp(seed: int = 2):
    import keras

    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((10,), name="features"),
            keras.layers.Dense(24, activation="relu", name="hidden"),
            keras.layers.Dense(12, activation="tanh", name="squash"),
            keras.layers.Dense(3, name="logits"),
        ],
        name="kmlp",
    )
    return model
