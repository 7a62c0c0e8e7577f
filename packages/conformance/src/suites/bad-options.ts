/**
 * Option objects are checked, never ignored: a misspelt or unknown key is a TypeError naming the
 * call and the key, with the nearest known name when one is close (snake_case finds camelCase);
 * an unknown enum value is an error listing the valid ones; a failing call leaks no tensor.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { expectError, type ErrorClass } from '../helpers.ts';

const { nn, optim, data, distributions } = flint;
const { functional: F, init } = nn;

/** Tensors a case may use, made before the live-tensor count is taken. */
interface Fixtures {
  x: flint.Tensor;
  image: flint.Tensor;
  weight: flint.Tensor;
  p: flint.Tensor;
  logits: flint.Tensor;
  labels: flint.Tensor;
  grid: flint.Tensor;
  normal: flint.distributions.Normal;
}

type Case = [what: string, call: (f: Fixtures) => unknown, error: ErrorClass, message: string];

const unknown = (op: string, key: string, suggestion?: string): string =>
  `${op}(): unknown option '${key}'${suggestion === undefined ? '' : `; did you mean '${suggestion}'?`}`;

// Casts that let a test pass what the types forbid, as plain JavaScript callers can.
const bad = <T>(value: unknown): T => value as T;

const creation: Case[] = [
  ['zeros with dtyp', () => flint.zeros([2], bad({ dtyp: 'int32' })), TypeError, unknown('zeros', 'dtyp', 'dtype')],
  ['tensor with requires_grad', () => flint.tensor([1, 2], bad({ requires_grad: true })), TypeError, unknown('tensor', 'requires_grad', 'requiresGrad')],
  ['ones with devise', () => flint.ones([2], bad({ devise: 'cpu' })), TypeError, unknown('ones', 'devise', 'device')],
  ['full with dtypee', () => flint.full([2], 1, bad({ dtypee: 'int32' })), TypeError, unknown('full', 'dtypee', 'dtype')],
  ['empty with an unrelated key', () => flint.empty([2], bad({ shape: [3] })), TypeError, unknown('empty', 'shape')],
  ['arange with step as an option', () => flint.arange(5, bad({ step: 2 })), TypeError, unknown('arange', 'step')],
  ['linspace with d_type', () => flint.linspace(0, 1, 3, bad({ d_type: 'float32' })), TypeError, unknown('linspace', 'd_type', 'dtype')],
  ['eye with Dtype', () => flint.eye(2, 2, bad({ Dtype: 'int32' })), TypeError, unknown('eye', 'Dtype', 'dtype')],
  ['rand with generater', () => flint.rand([2], bad({ generater: new flint.Generator(0) })), TypeError, unknown('rand', 'generater', 'generator')],
  ['randn with seed', () => flint.randn([2], bad({ seed: 0 })), TypeError, unknown('randn', 'seed')],
  ['randint with dtype_', () => flint.randint(0, 3, [2], bad({ dtype_: 'int32' })), TypeError, unknown('randint', 'dtype_', 'dtype')],
  ['randperm with gen', () => flint.randperm(3, bad({ gen: new flint.Generator(0) })), TypeError, unknown('randperm', 'gen', 'generator')],
  ['zerosLike with dtyp', ({ x }) => flint.zerosLike(x, bad({ dtyp: 'int32' })), TypeError, unknown('zerosLike', 'dtyp', 'dtype')],
  ['onesLike with requires_grad', ({ x }) => flint.onesLike(x, bad({ requires_grad: true })), TypeError, unknown('onesLike', 'requires_grad', 'requiresGrad')],
  ['fullLike with devic', ({ x }) => flint.fullLike(x, 2, bad({ devic: 'cpu' })), TypeError, unknown('fullLike', 'devic', 'device')],
  ['emptyLike with dtyp', ({ x }) => flint.emptyLike(x, bad({ dtyp: 'int32' })), TypeError, unknown('emptyLike', 'dtyp', 'dtype')],
  ['randLike with generater', ({ x }) => flint.randLike(x, bad({ generater: null })), TypeError, unknown('randLike', 'generater', 'generator')],
  ['randnLike with generater', ({ x }) => flint.randnLike(x, bad({ generater: null })), TypeError, unknown('randnLike', 'generater', 'generator')],
  ['newZeros with dtyp', ({ x }) => x.newZeros([2], bad({ dtyp: 'int32' })), TypeError, unknown('newZeros', 'dtyp', 'dtype')],
  ['a string where options go', () => flint.zeros([2], bad('int32')), TypeError, 'zeros(): expected an options object, but got string'],
  ['null where options go', () => flint.ones([2], bad(null)), TypeError, 'ones(): expected an options object, but got null'],
  ['an array where options go', () => flint.tensor([1], bad([])), TypeError, 'tensor(): expected an options object, but got an array'],
  ['a tensor where options go', ({ x }) => flint.rand([2], bad(x)), TypeError, 'rand(): expected an options object, but got Tensor'],
];

const ops: Case[] = [
  ['add with alph', ({ x }) => x.add(x, bad({ alph: 2 })), TypeError, unknown('add', 'alph', 'alpha')],
  ['add_ with alpah', ({ x }) => x.add_(x, bad({ alpah: 2 })), TypeError, unknown('add_', 'alpah', 'alpha')],
  ['backward with retain_graph', ({ p }) => p.backward(bad({ retain_graph: true })), TypeError, unknown('backward', 'retain_graph', 'retainGraph')],
  ['autograd.grad with allow_unused', ({ p }) => flint.autograd.grad(p, p, bad({ allow_unused: true })), TypeError, unknown('grad', 'allow_unused', 'allowUnused')],
  ['sort with descend', ({ x }) => x.sort(bad({ descend: true })), TypeError, unknown('sort', 'descend', 'descending')],
  ['topk with largest_', ({ x }) => x.topk(1, bad({ largest_: false })), TypeError, unknown('topk', 'largest_', 'largest')],
  ['var with unbiased', ({ x }) => x.var(0, bad({ unbiased: false })), TypeError, unknown('var', 'unbiased')],
  ['unique with return_counts', ({ labels }) => flint.unique(labels, bad({ return_counts: true })), TypeError, unknown('unique', 'return_counts', 'returnCounts')],
  ['uniqueConsecutive with sorted, which only unique takes', ({ labels }) => flint.uniqueConsecutive(labels, bad({ sorted: true })), TypeError, unknown('uniqueConsecutive', 'sorted')],
  ['multinomial with replace', ({ p }) => flint.multinomial(p, 1, bad({ replace: true })), TypeError, unknown('multinomial', 'replace', 'replacement')],
  ['isclose with equal_nan', ({ x }) => flint.isclose(x, x, bad({ equal_nan: true })), TypeError, unknown('isclose', 'equal_nan', 'equalNan')],
  ['meshgrid with an unknown indexing', ({ p }) => flint.meshgrid([p, p], { indexing: bad('yx') }), RangeError, 'meshgrid(): indexing must be one of "xy" or "ij", but received: yx'],
];

const functional: Case[] = [
  ['gelu with approximate fast', ({ x }) => F.gelu(x, { approximate: bad('fast') }), RangeError, "gelu(): approximate argument must be either none or tanh (got fast); expected one of 'none', 'tanh'"],
  ['gelu with approx', ({ x }) => F.gelu(x, bad({ approx: 'tanh' })), TypeError, unknown('gelu', 'approx', 'approximate')],
  ['softplus with betta', ({ x }) => F.softplus(x, bad({ betta: 2 })), TypeError, unknown('softplus', 'betta', 'beta')],
  ['dropout with traning', ({ x }) => F.dropout(x, 0.5, bad({ traning: false })), TypeError, unknown('dropout', 'traning', 'training')],
  ['conv2d with strides', ({ image, weight }) => F.conv2d(image, weight, null, bad({ strides: 1 })), TypeError, unknown('conv2d', 'strides', 'stride')],
  ['maxPool2d with ceil_mode', ({ image }) => F.maxPool2d(image, 2, bad({ ceil_mode: true })), TypeError, unknown('maxPool2d', 'ceil_mode', 'ceilMode')],
  ['avgPool2d with count_include_pad', ({ image }) => F.avgPool2d(image, 2, bad({ count_include_pad: false })), TypeError, unknown('avgPool2d', 'count_include_pad', 'countIncludePad')],
  ['interpolate with align_corners', ({ image }) => F.interpolate(image, bad({ scaleFactor: 2, align_corners: true })), TypeError, unknown('interpolate', 'align_corners', 'alignCorners')],
  ['gridSample with padding_mode', ({ image, grid }) => F.gridSample(image, grid, bad({ padding_mode: 'border' })), TypeError, unknown('gridSample', 'padding_mode', 'paddingMode')],
  ['layerNorm with epsilon', ({ x }) => F.layerNorm(x, 4, bad({ epsilon: 1e-5 })), TypeError, unknown('layerNorm', 'epsilon')],
  ['crossEntropy with label_smoothing', ({ logits, labels }) => F.crossEntropy(logits, labels, bad({ label_smoothing: 0.1 })), TypeError, unknown('crossEntropy', 'label_smoothing', 'labelSmoothing')],
  ['crossEntropy with reduction avg', ({ logits, labels }) => F.crossEntropy(logits, labels, { reduction: bad('avg') }), RangeError, "crossEntropy(): avg is not a valid value for reduction; expected one of 'mean', 'sum', 'none'"],
  ['mseLoss with reductions', ({ x }) => F.mseLoss(x, x, bad({ reductions: 'sum' })), TypeError, unknown('mseLoss', 'reductions', 'reduction')],
  ['klDiv with log_target', ({ x }) => F.klDiv(x, x, bad({ log_target: true })), TypeError, unknown('klDiv', 'log_target', 'logTarget')],
  ['scaledDotProductAttention with is_causal', ({ image }) => F.scaledDotProductAttention(image, image, image, bad({ is_causal: true })), TypeError, unknown('scaledDotProductAttention', 'is_causal', 'isCausal')],
  ['pad with mode mirror', ({ image }) => F.pad(image, [1, 1], bad('mirror')), RangeError, "pad(): Unrecognised padding mode mirror; expected one of 'constant', 'reflect', 'replicate', 'circular'"],
];

const modules: Case[] = [
  ['Linear with biass', () => new nn.Linear(2, 3, bad({ biass: false })), TypeError, unknown('Linear', 'biass', 'bias')],
  ['Conv2d with padding_mode', () => new nn.Conv2d(1, 1, 3, bad({ padding_mode: 'reflect' })), TypeError, unknown('Conv2d', 'padding_mode', 'paddingMode')],
  ['ConvTranspose2d with paddingMode', () => new nn.ConvTranspose2d(1, 1, 3, bad({ paddingMode: 'reflect' })), TypeError, unknown('ConvTranspose2d', 'paddingMode')],
  ['BatchNorm1d with track_running_stats', () => new nn.BatchNorm1d(3, bad({ track_running_stats: false })), TypeError, unknown('BatchNorm1d', 'track_running_stats', 'trackRunningStats')],
  ['LayerNorm with elementwise_affine', () => new nn.LayerNorm(3, bad({ elementwise_affine: false })), TypeError, unknown('LayerNorm', 'elementwise_affine', 'elementwiseAffine')],
  ['Dropout with generater', () => new nn.Dropout(0.5, bad({ generater: null })), TypeError, unknown('Dropout', 'generater', 'generator')],
  ['LSTM with batch_first', () => new nn.LSTM(2, 3, bad({ batch_first: true })), TypeError, unknown('LSTM', 'batch_first', 'batchFirst')],
  ['GRU with nonlinearity', () => new nn.GRU(2, 3, bad({ nonlinearity: 'relu' })), TypeError, unknown('GRU', 'nonlinearity')],
  ['RNN with nonlinearity sigmoid', () => new nn.RNN(2, 3, { nonlinearity: bad('sigmoid') }), RangeError, "RNN(): Unknown nonlinearity 'sigmoid'; expected one of 'tanh', 'relu'"],
  ['TransformerEncoderLayer with dim_feedforward', () => new nn.TransformerEncoderLayer(4, 2, bad({ dim_feedforward: 8 })), TypeError, unknown('TransformerEncoderLayer', 'dim_feedforward', 'dimFeedforward')],
  ['TransformerEncoderLayer with activation swish', () => new nn.TransformerEncoderLayer(4, 2, { activation: bad('swish') }), RangeError, "TransformerEncoderLayer(): activation should be relu/gelu, not swish; expected one of 'relu', 'gelu'"],
  ['MultiheadAttention with batch_first', () => new nn.MultiheadAttention(4, 2, bad({ batch_first: true })), TypeError, unknown('MultiheadAttention', 'batch_first', 'batchFirst')],
  ['Embedding with padding_idx', () => new nn.Embedding(4, 2, bad({ padding_idx: 0 })), TypeError, unknown('Embedding', 'padding_idx', 'paddingIdx')],
  ['MaxPool2d with ceil_mode', () => new nn.MaxPool2d(2, bad({ ceil_mode: true })), TypeError, unknown('MaxPool2d', 'ceil_mode', 'ceilMode')],
  ['Upsample with scale_factor', () => new nn.Upsample(bad({ scale_factor: 2 })), TypeError, unknown('Upsample', 'scale_factor', 'scaleFactor')],
  ['GELU with approximate fast', () => new nn.GELU(bad('fast')), RangeError, "GELU(): approximate argument must be either none or tanh (got fast); expected one of 'none', 'tanh'"],
  ['CrossEntropyLoss with ignore_index', () => new nn.CrossEntropyLoss(bad({ ignore_index: 0 })), TypeError, unknown('CrossEntropyLoss', 'ignore_index', 'ignoreIndex')],
  ['CrossEntropyLoss with null for options', () => new nn.CrossEntropyLoss(bad(null)), TypeError, 'CrossEntropyLoss(): expected an options object, but got null'],
  ['MSELoss with size_average', () => new nn.MSELoss(bad({ size_average: true })), TypeError, unknown('MSELoss', 'size_average')],
  ['BCEWithLogitsLoss with pos_weight', () => new nn.BCEWithLogitsLoss(bad({ pos_weight: null })), TypeError, unknown('BCEWithLogitsLoss', 'pos_weight', 'posWeight')],
  ['HuberLoss with delt', () => new nn.HuberLoss(bad({ delt: 2 })), TypeError, unknown('HuberLoss', 'delt', 'delta')],
  ['loadStateDict with strict_', () => new nn.Identity().loadStateDict(new Map(), bad({ strict_: false })), TypeError, unknown('loadStateDict', 'strict_', 'strict')],
  ['padSequence with batch_first', ({ p }) => nn.utils.rnn.padSequence([p], bad({ batch_first: true })), TypeError, unknown('padSequence', 'batch_first', 'batchFirst')],
];

const initAndData: Case[] = [
  ['kaimingUniform_ with mode fan_in', ({ weight }) => init.kaimingUniform_(weight, { mode: bad('fan_in') }), RangeError, "kaimingUniform_(): Mode fan_in not supported; expected one of 'fanIn', 'fanOut'"],
  ['kaimingNormal_ with nonlinearty', ({ weight }) => init.kaimingNormal_(weight, bad({ nonlinearty: 'relu' })), TypeError, unknown('kaimingNormal_', 'nonlinearty', 'nonlinearity')],
  ['uniform_ with seed', ({ weight }) => init.uniform_(weight, 0, 1, bad({ seed: 1 })), TypeError, unknown('uniform_', 'seed')],
  ['xavierNormal_ with generater', ({ weight }) => init.xavierNormal_(weight, 1, bad({ generater: null })), TypeError, unknown('xavierNormal_', 'generater', 'generator')],
  ['orthogonal_ with generater', ({ weight }) => init.orthogonal_(weight, 1, bad({ generater: null })), TypeError, unknown('orthogonal_', 'generater', 'generator')],
  ['calculateGain of swish', () => init.calculateGain(bad('swish')), RangeError, "calculateGain(): Unsupported nonlinearity swish; expected one of 'linear', 'conv1d', 'conv2d', 'conv3d', 'convTranspose1d', 'convTranspose2d', 'convTranspose3d', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'selu'"],
  ['DataLoader with batch_size', ({ x }) => new data.DataLoader(new data.TensorDataset(x), bad<object>({ batch_size: 4 })), TypeError, unknown('DataLoader', 'batch_size', 'batchSize')],
  ['DataLoader with drop_last', ({ x }) => new data.DataLoader(new data.TensorDataset(x), bad<object>({ drop_last: true })), TypeError, unknown('DataLoader', 'drop_last', 'dropLast')],
  ['RandomSampler with num_samples', () => new data.RandomSampler({ length: 3 }, bad({ num_samples: 2 })), TypeError, unknown('RandomSampler', 'num_samples', 'numSamples')],
  ['SubsetRandomSampler with generater', () => new data.SubsetRandomSampler([0, 1], bad({ generater: null })), TypeError, unknown('SubsetRandomSampler', 'generater', 'generator')],
  ['WeightedRandomSampler with replacment', () => new data.WeightedRandomSampler([1, 1], 2, bad({ replacment: false })), TypeError, unknown('WeightedRandomSampler', 'replacment', 'replacement')],
  ['Categorical with prob', ({ p }) => new distributions.Categorical(bad({ prob: p })), TypeError, unknown('Categorical', 'prob', 'probs')],
  ['Bernoulli with logit', ({ p }) => new distributions.Bernoulli(bad({ logit: p })), TypeError, unknown('Bernoulli', 'logit', 'logits')],
  ['Normal.sample with generater', ({ normal }) => normal.sample([2], bad({ generater: null })), TypeError, unknown('Normal.sample', 'generater', 'generator')],
  ['deserialize with devic', () => flint.deserialize(new Uint8Array(8), bad({ devic: 'cpu' })), TypeError, unknown('deserialize', 'devic', 'device')],
];

const optimizers: Case[] = [
  ['SGD with momentun', ({ p }) => new optim.SGD([p], bad({ lr: 0.1, momentun: 0.9 })), TypeError, unknown('SGD', 'momentun', 'momentum')],
  ['Adam with weight_decay', ({ p }) => new optim.Adam([p], bad({ weight_decay: 0.1 })), TypeError, unknown('Adam', 'weight_decay', 'weightDecay')],
  ['AdamW with ams_grad', ({ p }) => new optim.AdamW([p], bad({ ams_grad: true })), TypeError, unknown('AdamW', 'ams_grad', 'amsgrad')],
  ['RMSprop with centred', ({ p }) => new optim.RMSprop([p], bad({ centred: true })), TypeError, unknown('RMSprop', 'centred', 'centered')],
  ['Adagrad with lr_decay', ({ p }) => new optim.Adagrad([p], bad({ lr_decay: 0.1 })), TypeError, unknown('Adagrad', 'lr_decay', 'lrDecay')],
  ['Adadelta with rhoo', ({ p }) => new optim.Adadelta([p], bad({ rhoo: 0.9 })), TypeError, unknown('Adadelta', 'rhoo', 'rho')],
  ['Adamax with beta', ({ p }) => new optim.Adamax([p], bad({ beta: [0.9, 0.99] })), TypeError, unknown('Adamax', 'beta', 'betas')],
  ['NAdam with momentum_decay', ({ p }) => new optim.NAdam([p], bad({ momentum_decay: 0 })), TypeError, unknown('NAdam', 'momentum_decay', 'momentumDecay')],
  ['RAdam with epsilon', ({ p }) => new optim.RAdam([p], bad({ epsilon: 1e-8 })), TypeError, unknown('RAdam', 'epsilon')],
  ['Rprop with step_sizes', ({ p }) => new optim.Rprop([p], bad({ step_sizes: [1e-6, 50] })), TypeError, unknown('Rprop', 'step_sizes', 'stepSizes')],
  ['ASGD with lambda', ({ p }) => new optim.ASGD([p], bad({ lambda: 1e-4 })), TypeError, unknown('ASGD', 'lambda', 'lambd')],
  ['LBFGS with max_iter', ({ p }) => new optim.LBFGS([p], bad({ max_iter: 5 })), TypeError, unknown('LBFGS', 'max_iter', 'maxIter')],
  ['a param group with momentun', ({ p }) => new optim.SGD([bad<flint.optim.ParamGroupInput>({ params: [p], momentun: 0.9 })], { lr: 0.1 }), TypeError, unknown('SGD.addParamGroup', 'momentun', 'momentum')],
  ['a param group without params', () => new optim.SGD([bad<flint.optim.ParamGroupInput>({ lr: 0.1 })], { lr: 0.1 }), TypeError, "SGD.addParamGroup(): a parameter group must have 'params'"],
];

const families: Array<[string, Case[]]> = [
  ['tensor creation', creation], ['tensor ops', ops], ['nn.functional', functional], ['nn modules', modules],
  ['nn.init, data, distributions and io', initAndData], ['optimizers', optimizers],
];

export function badOptionsSuite(_ctx: SuiteContext): void {
  for (const [family, cases] of families) {
    describe(`bad options: ${family}`, () => {
      for (const [what, call, error, message] of cases) {
        it(`${what} throws ${error.name}: ${message}`, () =>
          flint.tidy(() => {
            const fixtures: Fixtures = {
              x: flint.tensor([[1, 2, 3, 4], [5, 6, 7, 8]]).float(),
              image: flint.ones([1, 1, 4, 4]),
              weight: flint.ones([1, 1, 3, 3]),
              p: flint.tensor([0.25, 0.75]).requiresGrad_(),
              logits: flint.zeros([2, 3]),
              labels: flint.tensor([0, 2]),
              grid: flint.zeros([1, 2, 2, 2]),
              normal: new distributions.Normal(0, 1),
            };
            const live = flint.memory().tensors;
            expectError(() => call(fixtures), error, message);
            expect(flint.memory().tensors, 'tensors leaked by the failing call').toBe(live);
          }));
      }
    });
  }

  describe('bad options: asynchronous io', () => {
    it('serialize, save and load reject a misspelt option before they touch data or files', async () => {
      const state = new Map([['w', flint.zeros([2])]]);
      await expect(flint.serialize(state, bad({ metdata: {} }))).rejects.toThrow(unknown('serialize', 'metdata', 'metadata'));
      await expect(flint.save(state, '/nonexistent/dir/never-written.safetensors', bad({ meta_data: {} }))).rejects.toThrow(unknown('save', 'meta_data', 'metadata'));
      await expect(flint.load('/nonexistent/never-read.safetensors', bad({ devise: 'cpu' }))).rejects.toThrow(unknown('load', 'devise', 'device'));
      state.get('w')!.dispose();
    });
  });
}
