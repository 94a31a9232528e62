import type { Migration } from '../migration';
import { migration001 } from './001-initial';
import { migration002 } from './002-evidence';
import { migration003 } from './003-validation';
import { migration004 } from './004-cloudtrail';
import { migration005 } from './005-workflow';
import { migration006 } from './006-reports';
import { migration007 } from './007-sample';
import { migration008 } from './008-signers';
import { migration009 } from './009-checkpoints';
import { migration010 } from './010-data-stores';
import { migration012 } from './012-cloud-events';
import { migration013 } from './013-iam';
import { migration014 } from './014-diff-runs';
import { migration015 } from './015-db-log-statements';
import { migration018 } from './018-agent-traces';
import { migration020 } from './020-timeline';
import { migration023 } from './023-analysis-runs';
import { migration024 } from './024-timeline-index-diet';

/** Every migration, in order. Append new ones; never edit or remove an applied one. */
export const migrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration012,
  migration013,
  migration014,
  migration015,
  migration018,
  migration020,
  migration023,
  migration024,
];
