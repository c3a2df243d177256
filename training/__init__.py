"""Training and export pipeline of sentiment-stream's BiLSTM (see training/README.md)."""
