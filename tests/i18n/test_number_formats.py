"""Numbers, percentages and money in the reader's locale (CLDR through Babel), as pages print them."""

from flask_babel import force_locale

from engage.i18n import format_percent
from engage.indicators.models import Unit
from engage.indicators.status import format_value


def test_percentages_follow_the_reader(app):
    with app.test_request_context():
        assert format_percent(72.456) == "72.5 %"
        assert format_percent(70, 0) == "70 %"
        assert format_percent(None) == "—"
        with force_locale("zh_Hans"):
            assert format_percent(72.456) == "72.5%"


def test_indicator_values_follow_the_reader(app):
    with app.test_request_context():
        assert format_value(1234.5, Unit.COUNT) == "1,234.5"
        assert format_value(3000, Unit.CURRENCY, "EUR") == "€3,000.00"
        assert format_value(62, Unit.PERCENT) == "62 %"
        with force_locale("zh_Hans"):
            assert format_value(62, Unit.PERCENT) == "62%"
            assert format_value(3000, Unit.CURRENCY, "CNY") == "¥3,000.00"
            assert format_value(1, Unit.YES_NO) == "是"
