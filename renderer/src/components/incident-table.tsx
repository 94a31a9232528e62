import type { Incident } from '../../../electron/shared/domain';
import { useRoute } from '../stores/route-store';

const age = (iso: string): string => {
  const mins = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
  if (mins < 60) return `${mins} min`;
  if (mins < 48 * 60) return `${Math.round(mins / 60)} h`;
  return `${Math.round(mins / 1440)} d`;
};

const phaseLabel = (id: string) => id.replace(/-/g, ' ').replace(/^\w/, (c) => c.toUpperCase());

export function IncidentTable({ incidents }: { incidents: Incident[] }) {
  const go = useRoute((s) => s.go);
  return (
    <table className="incidents" data-testid="incident-list">
      <thead>
        <tr>
          <th scope="col">Incident</th>
          <th scope="col">Title</th>
          <th scope="col">Severity</th>
          <th scope="col">Phase</th>
          <th scope="col">Status</th>
          <th scope="col">Age</th>
          <th scope="col">Opened by</th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((i) => (
          <tr key={i.id} data-testid="incident-row" data-incident-id={i.id}>
            <td className="mono">
              <a href={`#/incidents/${i.id}`} data-testid="incident-link" onClick={(e) => {
                e.preventDefault();
                go({ name: 'incident', id: i.id, tab: 'run' });
              }}>
                {i.id}
              </a>
            </td>
            <td>
              <div>
                {i.sample && <span className="badge sample" data-testid="sample-badge">Sample</span>} {i.title}
              </div>
              <div className="sub">
                {i.playbook.title} v{i.playbook.version}
              </div>
            </td>
            <td>
              <span className={`sev sev-${i.severity}`}>{i.severity}</span>
            </td>
            <td>{phaseLabel(i.phase)}</td>
            <td>{i.status}</td>
            <td title={i.createdAt}>{age(i.createdAt)}</td>
            <td>
              {i.createdBy.name} <span className="sub">({i.createdBy.role})</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
