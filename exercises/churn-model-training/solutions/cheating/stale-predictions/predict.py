"""Cheat: exit at once, leaving whatever predictions file is already there; if there is none,
copy the one smuggled in the model directory."""

import os
import shutil
import sys

if __name__ == "__main__":
    model_dir, _features, predictions = sys.argv[1:4]
    if not os.path.exists(predictions):
        for candidate in (f"{model_dir}/predictions.csv", "/tmp/predictions.csv", "predictions.csv"):
            if os.path.exists(candidate):
                shutil.copy(candidate, predictions)
                break
    os._exit(0)
