"""Minutes of workshops: per agenda item discussion, decisions and action items, linked to priorities;
draft → circulated → approved (frozen, versioned, hashed) → published; PDFs; compiled exports."""
