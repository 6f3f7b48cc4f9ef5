"""Run the e-mail delivery job once, in its own process (started by the multi-process tests).

Usage: python delivery_worker.py NOW_ISO BATCH_SIZE, with ENGAGE_DATABASE_URL and ENGAGE_MAIL_* set.
Prints the job's counts as JSON.
"""

import json
import sys
from datetime import datetime

from engage import create_app
from engage.notifications.jobs import run_due_notifications


def main() -> None:
    now, batch_size = datetime.fromisoformat(sys.argv[1]), int(sys.argv[2])
    app = create_app({"SERVER_NAME": "engage.test"})
    with app.app_context():
        print(json.dumps(run_due_notifications(now, batch_size=batch_size)))


if __name__ == "__main__":
    main()
