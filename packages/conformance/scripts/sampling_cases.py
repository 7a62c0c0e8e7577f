"""Fixtures for the distributions' log-probabilities and entropies (sampling itself is checked
statistically and across backends in src/suites/sampling.ts)."""
import torch
from torch.distributions import Bernoulli, Categorical, Normal

from common import Fixture, arr

fx = Fixture('sampling')
case = fx.case

logits = arr(2, 3, 5, lo=-3.0, hi=3.0)
values = torch.tensor([[0, 4, 2], [1, 1, 3]], dtype=torch.int32)
case('Categorical logits logProb', 'categoricalLogProb', [logits, values], fn=lambda l, v: Categorical(logits=l).log_prob(v.long()))
case('Categorical logits entropy', 'categoricalEntropy', [logits], fn=lambda l: Categorical(logits=l).entropy())
weights = torch.tensor([[1.0, 0.0, 3.0, 0.5], [2.0, 2.0, 0.25, 1.0]])
case('Categorical probs logProb', 'categoricalProbsLogProb', [weights, torch.tensor([2, 3], dtype=torch.int32)], fn=lambda p, v: Categorical(probs=p).log_prob(v.long()))
case('Categorical probs entropy with a zero', 'categoricalProbsEntropy', [weights], fn=lambda p: Categorical(probs=p).entropy())
loc, scale = arr(3, 4), arr(3, 4, lo=0.2, hi=2.0, seed=1)
case('Normal logProb', 'normalLogProb', [loc, scale, arr(3, 4, seed=2) * 3], fn=lambda m, s, v: Normal(m, s).log_prob(v))
case('Normal entropy', 'normalEntropy', [loc, scale], fn=lambda m, s: Normal(m, s).entropy())
b_logits = torch.tensor([-30.0, -2.0, 0.0, 0.5, 3.0, 40.0])
b_values = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
case('Bernoulli logits logProb', 'bernoulliLogProb', [b_logits, b_values], fn=lambda l, v: Bernoulli(logits=l).log_prob(v))
case('Bernoulli logits entropy', 'bernoulliEntropy', [b_logits], fn=lambda l: Bernoulli(logits=l).entropy())
b_probs = torch.tensor([0.0, 0.1, 0.5, 0.9, 1.0])
case('Bernoulli probs logProb', 'bernoulliProbsLogProb', [b_probs, torch.tensor([0.0, 1.0, 0.0, 1.0, 1.0])], fn=lambda p, v: Bernoulli(probs=p).log_prob(v), grad=False)

fx.save()
