import type { Operator } from '../../../electron/shared/domain';

export function OperatorBadge({ operator }: { operator: Operator }) {
  return (
    <span className="operator" data-testid="operator-badge" title="Every action is recorded under this name and role">
      <span className="operator-name">{operator.name}</span>
      <span className="operator-role">{operator.role}</span>
    </span>
  );
}
