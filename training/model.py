"""The seed notebook's BiLSTM classifier, with packed sequences so padding never reaches the LSTM."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence


class BiLSTMClassifier(nn.Module):
    """Embedding -> dropout -> bidirectional LSTM -> cat(final forward, final backward) -> linear."""

    def __init__(
        self, vocab_size: int, embedding_dim: int, hidden_size: int, num_labels: int, dropout_p: float = 0.1
    ) -> None:
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.dropout = nn.Dropout(dropout_p)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, batch_first=True, bidirectional=True)
        self.classifier = nn.Linear(2 * hidden_size, num_labels)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """ids: int64 [batch, time] padded with 0; lengths: int64 [batch], each >= 1. Returns logits."""
        embedded = self.dropout(self.embedding(ids))
        packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
        _, (hidden, _) = self.lstm(packed)
        final = torch.cat((hidden[-2], hidden[-1]), dim=1)
        logits: torch.Tensor = self.classifier(final)
        return logits
