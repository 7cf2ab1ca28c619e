// The audit walk page: record a walk (offline too) and moderate submitted walks.
import { wireRecording } from '../audits/record.js';
import { loadReview } from '../audits/review.js';
import { wireStaffNav } from '../lib/staff-nav.js';

wireStaffNav();
wireRecording();
loadReview();
