// The views use cases hand their facts to (src/usecases/ports.ts `Views`): composed once in src/app.ts.
import type { Views } from '../../usecases/ports.js';
import { approvalRequestMessage, requestedNotice, requesterNotice } from './approvals.js';
import { auditMessage } from './audit.js';
import { recycleBinMessage, scheduleCreatedMessage, schedulesMessage } from './backups.js';
import { rebootQuestion } from './confirmations.js';
import { costMessage, savingsMessage } from './cost.js';
import { digestCsvLines, digestMessage, reminderMessage } from './digest/index.js';
import { DRILL_VIEWS } from './drills.js';
import { batchCsv, batchProgressMessage } from './cleanup.js';
import { digestChart } from './digest/chart.js';
import { encryptMessage, replaceQuestion } from './encrypt.js';
import { homeView } from './home.js';
import { imageListMessage, snapshotListMessage } from './lists.js';
import { restoreModal, scopedModal } from './modals.js';
import { progressMessage } from './progress.js';

export const VIEWS: Views = {
  ...DRILL_VIEWS,
  batchProgressMessage,
  batchCsv,
  digestChart,
  approvalRequestMessage,
  requestedNotice,
  requesterNotice,
  auditMessage,
  homeView,
  costMessage,
  savingsMessage,
  digestMessage,
  reminderMessage,
  digestCsvLines,
  encryptMessage,
  replaceQuestion,
  imageListMessage,
  snapshotListMessage,
  rebootQuestion,
  progressMessage,
  recycleBinMessage,
  restoreModal,
  scopedModal,
  scheduleCreatedMessage,
  schedulesMessage,
};
