"""A byte-order B-tree on the territories' search keys, for exact names (`named`)."""

from django.db import migrations

from core.db import byte_order_index


class Migration(migrations.Migration):
    dependencies = [("territories", "0009_reading_order")]

    operations = [byte_order_index("territories_territory")]
