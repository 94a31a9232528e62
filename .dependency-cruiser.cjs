// One direction between core's parts, bottom to top. A part may import the layers below it and itself; parts that
// share a layer are peers and never import each other. `npm run lint` checks electron/core against it; README's
// "How it is built" shows the same order.
const CORE = 'electron/core/';
const folder = (name) => `^${CORE}${name}/`;
const files = (...names) => `^${CORE}(${names.join('|')})\\.tsx?$`;

const LAYERS = [
  { name: 'base', parts: { base: [files('errors', 'paths', 'sealer')] } },
  { name: 'store', parts: { store: [folder('store')] } },
  { name: 'ledger', parts: { ledger: [folder('ledger')] } },
  { name: 'kernel', parts: { kernel: [folder('kernel'), files('context', 'operations', 'dispatch')], trust: [folder('trust')] } },
  { name: 'playbooks', parts: { playbooks: [folder('playbooks')], session: [folder('session')], signers: [folder('signers')] } },
  { name: 'incidents', parts: { incidents: [folder('incidents')] } },
  { name: 'checkpoints', parts: { checkpoints: [folder('checkpoints')] } },
  { name: 'evidence', parts: { evidence: [folder('evidence')], audit: [folder('audit')] } },
  { name: 'workflow', parts: { workflow: [folder('workflow')] } },
  { name: 'collection', parts: { cloudtrail: [folder('cloudtrail')], validation: [folder('validation')] } },
  { name: 'traces', parts: { traces: [folder('traces')] } },
  { name: 'case', parts: { case: [folder('case')], iam: [folder('iam')], athena: [folder('athena')], timeline: [folder('timeline')] } },
  { name: 'actions', parts: { gap: [folder('gap')], signoff: [folder('signoff')] } },
  { name: 'reports', parts: { reports: [folder('reports')] } },
  { name: 'sample', parts: { sample: [folder('sample')] } },
  { name: 'entry', parts: { entry: [files('core', 'index', 'warm')] } },
];

const anyOf = (paths) => `(${paths.join('|')})`;
const partsOf = (layer) => Object.values(layer.parts).flat();

/** One rule per part: nothing from the layers above it, nothing from its peers. The entry, on top, may import all. */
const layerRules = LAYERS.flatMap((layer, i) =>
  Object.entries(layer.parts).flatMap(([name, paths]) => {
    const above = LAYERS.slice(i + 1).flatMap(partsOf);
    const peers = Object.entries(layer.parts).flatMap(([other, p]) => (other === name ? [] : p));
    const below = LAYERS.slice(0, i).map((l) => l.name);
    if (above.length + peers.length === 0) return [];
    return [
      {
        name: `${name}-imports-only-below`,
        severity: 'error',
        comment: `${name} is in layer ${i + 1} (${layer.name}): it may import ${below.length ? below.join(', ') : 'nothing of core'} and itself.`,
        from: { path: anyOf(paths) },
        to: { path: anyOf([...above, ...peers]) },
      },
    ];
  }),
);

/**
 * The two largest domains are split by stage, and their stages are ordered too: each stage imports the earlier ones;
 * the domain's own root files (handlers) sit on top.
 */
const STAGES = {
  cloudtrail: [['import'], ['model'], ['analyse'], ['store'], ['collect']],
  validation: [['adapters'], ['baseline', 'credentials'], ['classify'], ['checks', 'logs', 'diff'], ['runs']],
};

const stageRules = Object.entries(STAGES).flatMap(([domain, stages]) =>
  stages.flatMap((stage, i) =>
    stage.map((name) => {
      const later = stages.slice(i + 1).flat();
      const peers = stage.filter((other) => other !== name);
      const earlier = stages.slice(0, i).flat();
      return {
        name: `${domain}-${name}-imports-only-earlier-stages`,
        severity: 'error',
        comment: `${domain}/${name} may import ${earlier.length ? earlier.join(', ') : 'no other stage'} of ${domain}, never its later stages or handlers.`,
        from: { path: folder(`${domain}/${name}`) },
        to: { path: anyOf([...[...later, ...peers].map((f) => folder(`${domain}/${f}`)), `^${CORE}${domain}/[^/]+$`]) },
      };
    }),
  ),
);

module.exports = {
  forbidden: [
    ...layerRules,
    ...stageRules,
    {
      name: 'every-core-file-has-a-layer',
      severity: 'error',
      comment: 'A folder or file of core that no layer names escapes the order: add it to LAYERS.',
      from: { path: `^${CORE}`, pathNot: anyOf(LAYERS.flatMap(partsOf)) },
      to: {},
    },
    {
      name: 'nothing-imports-a-file-outside-the-layers',
      severity: 'error',
      comment: 'A folder or file of core that no layer names escapes the order: add it to LAYERS.',
      from: { path: `^${CORE}` },
      to: { path: `^${CORE}`, pathNot: anyOf(LAYERS.flatMap(partsOf)) },
    },
    {
      name: 'no-circular-in-core',
      severity: 'error',
      comment: 'A cycle is an arrow back up inside one part.',
      from: { path: `^${CORE}` },
      to: { path: `^${CORE}`, circular: true },
    },
  ],
  options: {
    includeOnly: `^${CORE}`,
    // Type-only imports are arrows too: a type from above ties the layers together just as a value does.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
