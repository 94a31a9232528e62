import type { signersContract } from '../../shared/contract/signers';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../kernel/handler-types';
import { activeSigners, enrolSigner, exportSigners, importSigners, revokeSigner } from './enrolment';
import type { SignerKeyStore } from './key-store';
import { initOwnKey, ownKeyInfo } from './own-keys';
import { SignerRepository } from './repository';

export function signersHandlers(ctx: CoreContext, keys: SignerKeyStore): HandlersOf<typeof signersContract> {
  return {
    'keys.init': (who) => initOwnKey(ctx, ctx.human(), keys, who),
    'keys.list': () => keys.list().map((k) => ownKeyInfo(ctx, keys, k)),
    'signers.add': (input) => enrolSigner(ctx, ctx.human(), input),
    'signers.list': ({ includeRevoked }) => (includeRevoked ? new SignerRepository(ctx.db).all() : activeSigners(ctx)),
    'signers.export': () => exportSigners(ctx),
    'signers.import': (input) => importSigners(ctx, ctx.human(), input),
    'signers.revoke': (input) => revokeSigner(ctx, ctx.human(), input),
  };
}
