"""Path converters that refuse what could never exist, so a huge or odd
number in a URL is a 404 and never reaches the database as an overflow."""


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class IssueNumberConverter:
    regex = "[0-9]{1,4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(int(value))


class IdConverter:
    # Under 2**63 for any value of 18 digits: a bigint column cannot overflow.
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(int(value))


class PageCodeConverter:
    regex = "[0-9A-Za-z]{1,8}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class AuthorNameConverter:
    # Anything but a slash or a control character (PostgreSQL refuses NUL in
    # a string), as long as an author's name may be.
    regex = "[^/\x00-\x1f\x7f]{1,100}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
