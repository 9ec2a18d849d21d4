/**
 * Reads what Alertmanager posted to the local stand-ins (see webhook-recorder.ts) back into one shape:
 * which receiver got which alert of which model, when, and with which runbook and dashboard links.
 *
 * - `/pagerduty`: a PagerDuty Events API v2 event (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/)
 *   as alertmanager.yml's pagerduty_configs renders it (class = alertname, component = model, links).
 * - `/slack`: a Slack incoming-webhook message with one attachment (title "[FIRING:n] alertname · model m").
 * - `/ticket`, `/heartbeat`: Alertmanager's generic webhook payload (version 4), one entry per alert.
 */
import type { RecordedRequest } from './webhook-recorder.js';

export type Receiver = 'pagerduty' | 'slack' | 'ticket' | 'heartbeat';

export interface Notification {
  readonly receiver: Receiver;
  readonly alertname: string;
  readonly model: string;
  readonly status: 'firing' | 'resolved';
  readonly runbookUrls: readonly string[];
  readonly dashboardUrls: readonly string[];
  readonly receivedAtMs: number;
  /** the request, for assertions on the receiver's own format */
  readonly request: RecordedRequest;
}

export interface PagerDutyEvent {
  readonly routing_key: string;
  readonly event_action: 'trigger' | 'acknowledge' | 'resolve';
  readonly dedup_key: string;
  readonly payload: {
    readonly summary: string;
    readonly source: string;
    readonly severity: string;
    readonly class?: string;
    readonly component?: string;
    readonly group?: string;
    readonly custom_details?: Readonly<Record<string, string>>;
  };
  readonly links?: ReadonlyArray<{ readonly href: string; readonly text: string }>;
  readonly client?: string;
  readonly client_url?: string;
}

export interface SlackMessage {
  readonly channel?: string;
  readonly attachments: ReadonlyArray<{ readonly title: string; readonly title_link?: string; readonly text: string; readonly color?: string }>;
}

export interface AlertmanagerWebhook {
  readonly version: string;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly alerts: ReadonlyArray<{
    readonly status: 'firing' | 'resolved';
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  }>;
}

const TITLE = /^\[(FIRING|RESOLVED)(?::\d+)?\] (\S+) · model (\S+)$/;

function linesAfter(text: string, prefix: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length).trim());
}

/** The notifications in `requests`; throws on a request none of the formats above can read. */
export function notificationsOf(requests: readonly RecordedRequest[]): Notification[] {
  return requests.flatMap((request): Notification[] => {
    const receiver = request.path.replace(/^\//, '') as Receiver;
    switch (receiver) {
      case 'pagerduty': {
        const event = request.body as PagerDutyEvent;
        const links = event.links ?? [];
        return [
          {
            receiver,
            alertname: event.payload.class ?? '',
            model: event.payload.component ?? '',
            status: event.event_action === 'resolve' ? 'resolved' : 'firing',
            runbookUrls: links.filter((l) => l.text === 'Runbook').map((l) => l.href),
            dashboardUrls: links.filter((l) => l.text === 'Dashboard').map((l) => l.href),
            receivedAtMs: request.receivedAtMs,
            request,
          },
        ];
      }
      case 'slack': {
        const message = request.body as SlackMessage;
        return message.attachments.map((a) => {
          const title = TITLE.exec(a.title);
          if (title === null) throw new Error(`Slack attachment title not in the driftwatch.title format: ${a.title}`);
          return {
            receiver,
            alertname: title[2] ?? '',
            model: title[3] ?? '',
            status: title[1] === 'FIRING' ? 'firing' : 'resolved',
            runbookUrls: linesAfter(a.text, 'Runbook:'),
            dashboardUrls: [...(a.title_link === undefined ? [] : [a.title_link]), ...linesAfter(a.text, 'Dashboard:')],
            receivedAtMs: request.receivedAtMs,
            request,
          };
        });
      }
      case 'ticket':
      case 'heartbeat': {
        const body = request.body as AlertmanagerWebhook;
        return body.alerts.map((alert) => ({
          receiver,
          alertname: alert.labels['alertname'] ?? '',
          model: alert.labels['model'] ?? '',
          status: alert.status,
          runbookUrls: alert.annotations['runbook_url'] === undefined ? [] : [alert.annotations['runbook_url']],
          dashboardUrls: alert.annotations['dashboard_url'] === undefined ? [] : [alert.annotations['dashboard_url']],
          receivedAtMs: request.receivedAtMs,
          request,
        }));
      }
      default:
        throw new Error(`a notification to an unexpected path: ${request.path}`);
    }
  });
}
