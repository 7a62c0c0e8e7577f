import { Tensor } from '../tensor/tensor.ts';
import { keep } from '../memory/scope.ts';
import { typeName } from '../tensor/type-name.ts';
import { checkBoolean } from '../options/check-values.ts';

/**
 * A tensor that is a module's learnable weight: a leaf that requires grad by default, sharing the
 * storage of the tensor it is made from (which stays the caller's handle to dispose; building a
 * model inside `tidy` frees such temporaries). Parameters are exempt from every `tidy` (a model's
 * weights outlive the steps that use them); `module.dispose()` frees them.
 * @example this.scale = new nn.Parameter(flint.ones([dim]));
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) throw new TypeError(`Parameter(): data must be a Tensor, but got ${typeName(data)}`);
    checkBoolean('Parameter', 'requires_grad', requiresGrad);
    data.assertAlive('Parameter');
    super(data.ref.retain(), data.shape, data.strides, data.offset, data.dtype);
    keep(this);
    if (requiresGrad) this.requiresGrad_(true);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }

  override async format(): Promise<string> {
    return `Parameter containing:\n${await super.format()}`;
  }
}
