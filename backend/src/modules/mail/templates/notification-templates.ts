import { type Static, type TSchema, Type } from 'typebox';
import { type EmailCopy, type Locale, PRODUCT_NAME } from './layout.js';

/**
 * The notification emails (the notifications module writes them): one task's changes, coalesced,
 * and the hourly or daily digest grouped by board. Both end with the one-click unsubscribe link.
 */
interface Context<Data> {
  data: Data;
  to: string;
  link(path: string, query?: Record<string, string>): string;
}

function define<Schema extends TSchema>(definition: {
  schema: Schema;
  copy: Record<Locale, (context: Context<Static<Schema>>) => EmailCopy>;
}) {
  return definition;
}

const TOKEN = Type.String({
  pattern: '^[A-Za-z0-9_-]{8,400}\\.[A-Za-z0-9_-]{43}$',
  description: 'The signed unsubscribe token',
});
const BOARD_KEY = Type.String({ pattern: '^[A-Z][A-Z0-9]{1,9}$' });
const TEXT = Type.String({ minLength: 0, maxLength: 500 });
const EVENT_TYPE = Type.String({ pattern: '^[a-z_]{1,40}$' });

const TaskData = Type.Object(
  {
    boardKey: BOARD_KEY,
    boardName: TEXT,
    taskNumber: Type.Integer({ minimum: 1 }),
    taskTitle: TEXT,
    events: Type.Array(Type.Object({ type: EVENT_TYPE, actor: TEXT }), {
      minItems: 1,
      maxItems: 200,
    }),
    unsubscribeToken: TOKEN,
  },
  { additionalProperties: false },
);

const DigestData = Type.Object(
  {
    timing: Type.Union([Type.Literal('hourly'), Type.Literal('daily')]),
    boards: Type.Array(
      Type.Object({
        boardKey: BOARD_KEY,
        boardName: TEXT,
        tasks: Type.Array(
          Type.Object({
            number: Type.Integer({ minimum: 1 }),
            title: TEXT,
            changes: Type.Integer({ minimum: 1 }),
          }),
          { minItems: 1 },
        ),
      }),
      { minItems: 1 },
    ),
    unsubscribeToken: TOKEN,
  },
  { additionalProperties: false },
);

const EVENT_WORDS: Record<Locale, Record<string, string>> = {
  en: {
    task_created: 'created the task',
    task_updated: 'changed the task',
    task_moved: 'moved the task',
    task_archived: 'archived the task',
    task_restored: 'restored the task',
    comment_added: 'commented',
    task_due_soon: 'The task is due soon',
    task_overdue: 'The task is overdue',
  },
  ko: {
    task_created: '업무를 만들었습니다',
    task_updated: '업무를 변경했습니다',
    task_moved: '업무를 이동했습니다',
    task_archived: '업무를 보관했습니다',
    task_restored: '업무를 복원했습니다',
    comment_added: '댓글을 남겼습니다',
    task_due_soon: '업무 마감이 다가옵니다',
    task_overdue: '업무 마감이 지났습니다',
  },
};

function eventLine(locale: Locale, event: { type: string; actor: string }): string {
  const words = EVENT_WORDS[locale][event.type] ?? event.type;
  if (!event.actor) return words;
  return locale === 'ko' ? `${event.actor} 님이 ${words}` : `${event.actor} ${words}`;
}

/** Runs of the same line are counted once: a burst of ten edits reads "… (×10)". */
function eventLines(locale: Locale, events: { type: string; actor: string }[]): string[] {
  const lines: { text: string; count: number }[] = [];
  for (const event of events) {
    const text = eventLine(locale, event);
    const last = lines.at(-1);
    if (last?.text === text) last.count += 1;
    else lines.push({ text, count: 1 });
  }
  return lines.map(({ text, count }) => (count > 1 ? `${text} (×${count})` : text));
}

const taskPath = (boardKey: string, taskNumber: number) =>
  `/boards/${boardKey}/tasks/${taskNumber}`;
const UNSUBSCRIBE_PATH = '/api/notifications/unsubscribe';

export const NOTIFICATION_TEMPLATES = {
  'notification-task': define({
    schema: TaskData,
    copy: {
      en: ({ data, link }) => ({
        subject: `${data.boardKey}-${data.taskNumber} ${data.taskTitle}`,
        heading: `${data.boardKey}-${data.taskNumber} ${data.taskTitle}`,
        paragraphs: [
          `On the board "${data.boardName}":`,
          ...eventLines('en', data.events),
          `Stop these emails: ${link(UNSUBSCRIBE_PATH, { token: data.unsubscribeToken })}`,
        ],
        action: { label: 'Open the task', url: link(taskPath(data.boardKey, data.taskNumber)) },
        footer: `You received this email because of your notification settings on ${PRODUCT_NAME}.`,
      }),
      ko: ({ data, link }) => ({
        subject: `${data.boardKey}-${data.taskNumber} ${data.taskTitle}`,
        heading: `${data.boardKey}-${data.taskNumber} ${data.taskTitle}`,
        paragraphs: [
          `"${data.boardName}" 보드:`,
          ...eventLines('ko', data.events),
          `이 메일 수신 거부: ${link(UNSUBSCRIBE_PATH, { token: data.unsubscribeToken })}`,
        ],
        action: { label: '업무 열기', url: link(taskPath(data.boardKey, data.taskNumber)) },
        footer: `${PRODUCT_NAME} 알림 설정에 따라 발송된 메일입니다.`,
      }),
    },
  }),

  'notification-digest': define({
    schema: DigestData,
    copy: {
      en: ({ data, link }) => ({
        subject: `Your ${data.timing === 'hourly' ? 'hourly' : 'daily'} ${PRODUCT_NAME} digest`,
        heading: data.timing === 'hourly' ? 'The last hour on your boards' : 'Today on your boards',
        paragraphs: [
          ...data.boards.flatMap((board) => [
            `${board.boardName} (${board.boardKey})`,
            ...board.tasks.map(
              (task) =>
                `${board.boardKey}-${task.number} ${task.title}: ${task.changes} ${task.changes === 1 ? 'update' : 'updates'} — ${link(taskPath(board.boardKey, task.number))}`,
            ),
          ]),
          `Stop these emails: ${link(UNSUBSCRIBE_PATH, { token: data.unsubscribeToken })}`,
        ],
        action: { label: `Open ${PRODUCT_NAME}`, url: link('/') },
        footer: `You received this digest because of your notification settings on ${PRODUCT_NAME}.`,
      }),
      ko: ({ data, link }) => ({
        subject: `${PRODUCT_NAME} ${data.timing === 'hourly' ? '시간별' : '일간'} 요약`,
        heading: data.timing === 'hourly' ? '지난 한 시간의 보드 소식' : '오늘의 보드 소식',
        paragraphs: [
          ...data.boards.flatMap((board) => [
            `${board.boardName} (${board.boardKey})`,
            ...board.tasks.map(
              (task) =>
                `${board.boardKey}-${task.number} ${task.title}: 변경 ${task.changes}건 — ${link(taskPath(board.boardKey, task.number))}`,
            ),
          ]),
          `이 메일 수신 거부: ${link(UNSUBSCRIBE_PATH, { token: data.unsubscribeToken })}`,
        ],
        action: { label: `${PRODUCT_NAME} 열기`, url: link('/') },
        footer: `${PRODUCT_NAME} 알림 설정에 따라 발송된 요약 메일입니다.`,
      }),
    },
  }),
} as const;
