/** Flattening parameters into one vector and back, as torch.nn.utils.parameters_to_vector / vector_to_parameters. */
import { Tensor } from '../../tensor/tensor.ts';
import { noGrad } from '../../autograd/mode.ts';
import { tidy } from '../../memory/scope.ts';
import { cat } from '../../ops/join.ts';
import { typeName } from '../../tensor/type-name.ts';

type Params = Tensor | Iterable<Tensor>;

/** The parameters as a list, checked to be Tensors on one device (torch's `_check_param_device`). */
function listOf(op: string, parameters: Params): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : [...parameters];
  for (const p of list) {
    if (!(p instanceof Tensor)) throw new TypeError(`${op}(): expected torch.Tensor, but got: ${typeName(p)}`);
    if (p.device !== list[0]!.device) throw new TypeError(`${op}(): Found two parameters on different devices, this is currently not supported.`);
  }
  return list;
}

/**
 * Every parameter flattened and concatenated into one vector, in order. It is differentiable
 * (a `cat` of views), as torch's.
 * @example const vec = flint.nn.utils.parametersToVector(model.parameters());
 */
export function parametersToVector(parameters: Params): Tensor {
  const list = listOf('parametersToVector', parameters);
  if (list.length === 0) throw new RangeError('parametersToVector(): expected a non-empty list of Tensors');
  return tidy(() => cat(list.map((p) => p.reshape([-1]))));
}

/**
 * Copies consecutive slices of the vector `vec` into the parameters, in order (elements past the
 * last parameter are ignored, as in torch). torch rebinds each parameter's `.data` to a view of
 * `vec`; flint copies the values in place, so later changes of `vec` do not reach the parameters.
 * Nothing changes when `vec` is too short.
 * @example flint.nn.utils.vectorToParameters(vec, model.parameters());
 */
export function vectorToParameters(vec: Tensor, parameters: Params): void {
  if (!(vec instanceof Tensor)) throw new TypeError(`vectorToParameters(): expected torch.Tensor, but got: ${typeName(vec)}`);
  const list = listOf('vectorToParameters', parameters);
  if (vec.ndim !== 1) throw new RangeError(`vectorToParameters(): expected a 1-D vector, but got shape [${vec.shape.join(', ')}]`);
  let total = 0;
  for (const p of list) {
    const available = Math.max(0, Math.min(p.size, vec.size - total));
    if (available < p.size) throw new RangeError(`vectorToParameters(): shape '[${p.shape.join(', ')}]' is invalid for input of size ${available}`);
    total += p.size;
  }
  noGrad(() => {
    let offset = 0;
    for (const p of list) {
      tidy(() => p.copy_(vec.narrow(0, offset, p.size).view(p.shape)));
      offset += p.size;
    }
  });
}
