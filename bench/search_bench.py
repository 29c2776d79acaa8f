"""Benchmark search on an archive of generated articles (PostgreSQL by default).

    .venv/bin/python bench/search_bench.py [--articles 100000] [--database postgresql]
        [--keep] [--runs 40]

Generates an archive of published issues (1-5k characters an article, Chinese
text drawn from a vocabulary with a realistic spread of common and rare
words, and a pool of author names), times the index build (the real
``rebuild_search_index`` path), then times the queries the search page runs
(capped count + first page + highlighting) for two-character words,
four-character words, names and three-word queries, in the default order
and by relevance: median and p95 in ms. Figures go to stdout and
bench/out/search.json. With --keep the database is kept for the next run.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

DB_NAME = "magazine_bench_search"

# Words of everyday reporting, most common first (a Zipf-like draw below).
WORDS = (
    "发展 工作 群众 干部 经济 服务 建设 基层 社会 推进 农村 企业 问题 改革 管理 组织 社区 乡村 "
    "政府 创新 教育 文化 产业 项目 生活 治理 人民 活动 政策 合作 老师 学生 医疗 环境 安全 数字 "
    "技术 市场 资金 土地 农民 村民 书记 会议 调研 走访 落实 责任 制度 机制 能力 水平 质量 效率 "
    "保障 民生 就业 收入 养老 儿童 青年 志愿 党员 支部 学习 培训 讲座 课堂 图书 医院 药品 道路 "
    "交通 网络 电商 直播 茶叶 粮食 稻谷 果园 蔬菜 旅游 民宿 古镇 老街 溪流 山林 护林 防火 防汛 "
    "垃圾 分类 改造 修缮 戏台 非遗 手艺 传承 故事 回忆 变化 经验 做法 成效 困难 办法 意见 建议 "
    "调解 纠纷 法治 平安 巡逻 食堂 菜单 邻里 家庭 孩子 父母 老人 病人 医生 护士 记者 编辑 读者 "
    "时代 未来 希望 梦想 奋斗 坚持 努力 团结 互助 信任 温暖 感动 笑容 汗水 脚步 声音 灯光 清晨 "
    "夜晚 春天 夏天 秋天 冬天 雨水 阳光 土壤 种子 收获 丰收 市场化 现代化 信息化 标准化 一体化 "
    "高质量发展 共同富裕 乡村振兴 数字经济 基层治理 公共服务 生态保护 城市更新 人才培养 科技创新"
).split()
NAMES = (
    "滕将华 陈晓 林一帆 王芳 沈嘉禾 吴子墨 许静怡 李向东 周明远 陈思远 赵一鸣 林语冰 方国平 何秀兰 "
    "张建国 刘海燕 杨帆 黄志强 徐丽 孙伟 马晓东 朱琳 胡海 郭敏 罗丹 梁超 宋佳 郑勇 谢婷 韩磊"
).split()
PUNCTUATION = "，，，、。。！？；："


def zipf_weights(n, s=1.05):
    return [1 / (rank**s) for rank in range(1, n + 1)]


def sentence(rng, weights):
    words = rng.choices(WORDS, weights=weights, k=rng.randint(4, 12))
    glue = "".join(rng.choice("的了在和是与把对为将从") for _ in range(len(words)))
    text = "".join(w + g for w, g in zip(words, glue, strict=True))
    return text + rng.choice(PUNCTUATION)


def article_text(rng, weights):
    target = rng.randint(1000, 5000)
    paragraphs, size = [], 0
    while size < target:
        paragraph = "".join(sentence(rng, weights) for _ in range(rng.randint(3, 8)))
        paragraphs.append(paragraph)
        size += len(paragraph)
    return "\n".join(paragraphs)


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def fill(count, seed=7):
    """Published issues of 300 articles each, inserted without the index."""
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article
    from magazine.models import Issue

    rng = random.Random(seed)
    weights = zipf_weights(len(WORDS))
    per_issue = 300
    issues = []
    for index in range((count + per_issue - 1) // per_issue):
        year, number = 2000 + index // 12, index % 12 + 1
        issues.append(Issue(year=year, number=number, published_at=timezone.now()))
    Issue.objects.bulk_create(issues)
    issues = list(Issue.objects.order_by("year", "number"))
    made = 0
    while made < count:
        batch = []
        for _ in range(min(1000, count - made)):
            issue = issues[made // per_issue]
            title_words = rng.choices(WORDS, weights=weights, k=rng.randint(2, 4))
            batch.append(
                Article(
                    issue=issue,
                    title=f"{''.join(title_words)}（第{made}篇）",
                    kicker="系列报道" if made % 9 == 0 else "",
                    byline=f"本刊记者 {rng.choice(NAMES)}"
                    if made % 2
                    else f"文/{rng.choice(NAMES)}",
                    body=article_text(rng, weights),
                )
            )
            made += 1
        with transaction.atomic():
            Article.objects.bulk_create(batch)
        print(f"  {made} articles", end="\r", flush=True)
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="reuse and keep the database")
    args = parser.parse_args()

    if args.database == "postgresql":
        url = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
        exists = (
            subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-tAc",
                    f"select 1 from pg_database where datname='{DB_NAME}'",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            == "1"
        )
        if exists and not args.keep:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
            exists = False
        if not exists:
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    else:
        path = PROJECT / "bench" / "out" / "search.sqlite3"
        path.parent.mkdir(exist_ok=True)
        if path.exists() and not args.keep:
            path.unlink()
        url = f"sqlite:///{path}"
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article, ArticleSearch
    from articles.search import rebuild
    from reader.filters import ArticleSearchFilter
    from reader.views import search_results

    call_command("migrate", verbosity=0)
    results = {"database": args.database}
    have = Article.objects.count()
    if have < args.articles:
        started = time.perf_counter()
        fill(args.articles - have)
        results["fill_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        count = rebuild()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE articles_articlesearch")
                cursor.execute("ANALYZE articles_article")
        results["index_build_s"] = round(time.perf_counter() - started, 1)
        results["indexed"] = count
    results["articles"] = Article.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_relation_size('articles_search_vector_gin')")
            results["index_mb"] = round(cursor.fetchone()[0] / 1e6, 1)

    rng = random.Random(3)
    kinds = {
        "two_char": ["干部", "群众", "发展", "茶叶", "戏台", "防汛", "温暖", "护士"],
        "four_char": ["乡村振兴", "基层治理", "数字经济", "共同富裕", "生态保护", "人才培养"],
        "name": ["滕将华", "林一帆", "沈嘉禾", "方国平", "何秀兰", "韩磊"],
        "three_words": ["干部 群众 服务", "乡村 旅游 民宿", "医疗 老人 社区", "茶叶 电商 直播"],
    }

    def page(text, relevance):
        """What the search page runs: its filter, count, first page, highlighting."""
        data = {"q": text, "sort": "relevance" if relevance else ""}
        base = ArticleSearch.objects.published().select_related(
            "article__issue", "article__section"
        )
        return search_results(ArticleSearchFilter(data, queryset=base), 1)

    table = []
    for kind, queries in kinds.items():
        for relevance in (False, True):
            samples = []
            for _ in range(args.runs):
                text = rng.choice(queries)
                started = time.perf_counter()
                page(text, relevance)
                samples.append((time.perf_counter() - started) * 1000)
            samples.sort()
            median = round(statistics.median(samples), 1)
            p95 = round(samples[int(0.95 * (len(samples) - 1))], 1)
            order = "relevance" if relevance else "newest"
            results[f"{kind}_{order}"] = {"median_ms": median, "p95_ms": p95}
            table.append((kind, order, median, p95))

    print(f"{results['articles']} articles on {args.database}")
    for key in ("fill_s", "index_build_s", "index_mb"):
        if key in results:
            print(f"  {key}: {results[key]}")
    print(f"{'query':<14}{'order':<11}{'median ms':>10}{'p95 ms':>9}")
    for kind, order, median, p95 in table:
        print(f"{kind:<14}{order:<11}{median:>10}{p95:>9}")
    results["search_p95_ms"] = max(p95 for _, order, _, p95 in table if order == "newest")
    out = PROJECT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"search-{args.database}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
