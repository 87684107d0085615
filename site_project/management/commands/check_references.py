import datetime
from concurrent.futures import ThreadPoolExecutor, as_completed

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from site_project.links import all_urls, visit
from site_project.models import LinkCheck


def positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise ValueError(text)
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its error message
    return parse


class Command(BaseCommand):
    help = (
        "Visit every reference and source address on the site (HEAD, then GET when HEAD is refused; "
        "redirects followed and recorded) and store what came back, one row per address, for the "
        "“Link checks” admin. Prints a summary with the broken addresses."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only-stale",
            type=positive(float),
            metavar="DAYS",
            help="Visit only addresses never checked or last checked more than DAYS days ago.",
        )
        parser.add_argument(
            "--timeout", type=positive(float), default=10.0, help="Seconds to wait on each request (default 10)."
        )
        parser.add_argument(
            "--workers", type=positive(int), default=8, help="Addresses visited at the same time (default 8)."
        )

    def handle(self, *args, only_stale=None, timeout=10.0, workers=8, **options):
        if workers > 32:
            raise CommandError("--workers: at most 32, to stay polite to the sites cited.")
        urls = all_urls()
        removed, _ = LinkCheck.objects.exclude(url__in=urls).delete() if urls else LinkCheck.objects.all().delete()
        if only_stale is not None:
            since = timezone.now() - datetime.timedelta(days=only_stale)
            fresh = set(LinkCheck.objects.filter(checked_at__gte=since).values_list("url", flat=True))
            skipped = sum(url in fresh for url in urls)
            urls = [url for url in urls if url not in fresh]
        else:
            skipped = 0
        self.stdout.write(f"Checking {len(urls)} address{'es' if len(urls) != 1 else ''} with {workers} workers…")

        counts = dict.fromkeys(LinkCheck.Outcome.values, 0)
        broken = []
        # Visits run in the pool; every database write stays in this thread.
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(visit, url, timeout) for url in urls]
            for future in as_completed(futures):
                result = future.result()
                LinkCheck.objects.update_or_create(
                    url=result.url,
                    defaults={
                        "outcome": result.outcome,
                        "status_code": result.status_code,
                        "final_url": result.final_url,
                        "redirect_chain": result.redirect_chain,
                        "method": result.method,
                        "error": result.error,
                        "checked_at": timezone.now(),
                    },
                )
                counts[result.outcome] += 1
                if result.outcome == LinkCheck.Outcome.BROKEN:
                    broken.append(result)

        self.stdout.write(
            f"OK: {counts['ok']}, redirected: {counts['redirected']}, broken: {counts['broken']}"
            + (f" ({skipped} checked recently, skipped)" if skipped else "")
            + (f"; {removed} no longer cited, forgotten" if removed else "")
        )
        if broken:
            self.stdout.write(self.style.ERROR("Broken:"))
            for result in sorted(broken, key=lambda r: r.url):
                self.stdout.write(f"  {result.url}  {result.error or result.status_code}")
