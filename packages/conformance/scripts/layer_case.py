"""Recording a torch.nn module as a fixture case, shared by the module fixture scripts.

A layer case records the layer's parameters as extra inputs after the forward inputs (their names in
args['params']), and runs the layer through functional_call with exactly those tensors, so the
fixture holds the weights and torch records their gradients. flint's table builds the same layer
and points it at the same tensors.
"""
from torch.nn.utils.stateless import functional_call

# Buffers are state, not inputs of the computation: they are loaded detached and take no gradient.
BUFFERS = {'running_mean', 'running_var'}


def layer_recorder(fx):
    """The `layer_case` function that records into fixture `fx`."""
    def layer_case(name, op, layer, xs, params=None, args=None, train=False, grad=True, run=None):
        """Records `layer` run on inputs `xs` with parameters/buffers `params` (name -> tensor).
        `run(call, *xs)` calls the layer, where `call(*args, **kwargs)` is the layer's forward."""
        params = params or {}
        names = list(params)
        layer.train(train)

        def fn(*ts):
            state = {n: (t.detach() if n.split('.')[-1] in BUFFERS else t) for n, t in zip(names, ts[len(xs):])}
            call = lambda *a, **kw: functional_call(layer, state, a, kw)
            return (run or (lambda c, *a: c(*a)))(call, *ts[:len(xs)])

        fx.case(name, op, [*xs, *params.values()], {**(args or {}), 'params': names, 'train': train}, grad=grad, fn=fn)
    return layer_case
