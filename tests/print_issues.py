"""Print issues made up here, for the tests and benchmarks that read printed pages.

``make(seed, pages, articles)`` lays out an issue as a monthly does (covers,
inner pages grouped by name, one to four articles a page stacked or side by
side in one to three columns, kickers, subtitles and bylines on some, and some
articles continued on a later page) with text written here from a word list
(nothing copied from a real magazine), and knows what it printed where: each
article's fields and paragraphs, the page printing its title, and the boxes of
its text on each page. ``IssueSpec.pdf()`` draws it (``articles.print_layout``),
``write_text_files()`` writes the same articles in the import format.
"""

import random
from dataclasses import dataclass, field
from pathlib import Path

from articles import print_layout as layout

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "晓芳明华丽军平伟强磊洋艳勇杰娟涛超秀霞刚桂英建文辉敏玲静红燕"
    "峰鹏飞宇浩然子墨嘉禾欣怡雨桐思远志远海燕立新卫东春梅秋菊冬青"
    "晨阳"
)
PLACES = [
    "老街",
    "小镇",
    "山村",
    "渡口",
    "社区",
    "车间",
    "田野",
    "学堂",
    "码头",
    "林场",
    "茶园",
    "书屋",
]
SUBJECTS = [
    "基层干部",
    "乡村教师",
    "护林员",
    "老党员",
    "年轻人",
    "志愿者",
    "村医",
    "驻村书记",
    "返乡青年",
    "非遗传承人",
    "社区网格员",
    "快递小哥",
]
ACTIONS = ["走进", "守护", "建设", "倾听", "记录", "改变", "点亮", "回望", "扎根", "耕耘"]
THINGS = [
    "民生小事",
    "群众心声",
    "绿水青山",
    "文化根脉",
    "产业振兴",
    "一方水土",
    "邻里温情",
    "岁月变迁",
    "初心使命",
    "烟火人间",
]
CLAUSES = [
    "{s}在{p}忙碌了一整天",
    "这里的{t}正在悄悄发生变化",
    "{s}说起往事时眼里有光",
    "清晨的{p}还笼罩在薄雾之中",
    "大家围坐在一起商量{t}",
    "{s}把{t}一件件记在本子上",
    "从前的{p}如今换了新模样",
    "一条新修的路通到了{p}",
    "{s}每天都要到{p}转一转",
    "说到{t}，老人们纷纷点头",
    "孩子们在{p}的空地上奔跑",
    "{s}的办法简单却很管用",
    "这些年来{p}的变化有目共睹",
    "采访结束时天色已晚",
    "{s}坚持了整整十二年",
    "人们常说{t}就在身边",
    "夜里的{p}灯火通明",
    "{s}把心思都用在了{t}上",
]
PAGE_NAMES = [
    ("卷首语", 1),
    ("本期策划", 8),
    ("基层来信", 4),
    ("人物", 6),
    ("文化视窗", 6),
    ("乡村振兴", 8),
    ("社区故事", 6),
    ("博览 · 读书", 6),
    ("法治天地", 5),
    ("健康生活", 5),
    ("时事观察", 5),
    ("文苑", 4),
]


@dataclass
class ArticleSpec:
    title: str
    paragraphs: list
    kicker: str = ""
    subtitle: str = ""
    byline: str = ""
    page: str = ""  # where its title is printed
    continued_on: str = ""  # the page its rest is printed on
    boxes: dict = field(default_factory=dict)  # page code -> [[x, y, w, h], ...]

    @property
    def body(self):
        return "\n".join(self.paragraphs)


@dataclass
class IssueSpec:
    year: int
    number: int
    pages: list  # [(code, name)]
    articles: list
    printed: list  # [print_layout.Page]

    @property
    def key(self):
        return f"{self.year}-{self.number}"

    @property
    def page_list(self):
        return " ".join(f"{code}版: {name}" for code, name in self.pages)

    def pdf(self, magazine="基层月刊"):
        data, printed = layout.pdf(self.printed, magazine, f"{self.year}年第{self.number}期")
        by_title = {article.title: article for article in self.articles}
        for code, boxes in printed.items():
            for title, found in boxes.items():
                by_title[title].boxes[code] = found
        return data

    def article(self, title):
        return next(article for article in self.articles if article.title == title)

    def write_text_files(self, folder):
        """One import file an article (no page folders: the PDF places them)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for number, article in enumerate(self.articles, start=1):
            head = [*article.kicker.split("\n"), article.title, *article.subtitle.split("\n")]
            lines = [article.title, self.page_list, *[line for line in head if line]]
            if article.byline:
                lines += [f"　　{article.byline}", ""]
            lines += [f"　　{paragraph}" for paragraph in article.paragraphs]
            (folder / f"{number:03}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return folder


class Writer:
    """Text from the word lists, never the same title twice."""

    def __init__(self, rng):
        self.rng, self.titles = rng, set()

    def name(self):
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2)))
        )

    def words(self):
        return {
            "s": self.rng.choice(SUBJECTS),
            "p": self.rng.choice(PLACES),
            "t": self.rng.choice(THINGS),
        }

    def sentence(self):
        count = self.rng.choice((1, 2, 2, 3))
        clauses = [self.rng.choice(CLAUSES).format(**self.words()) for _ in range(count)]
        return "，".join(clauses) + self.rng.choice("。。。！")

    def paragraph(self, chars):
        text = ""
        while len(text) < chars:
            text += self.sentence()
        return text

    def title(self):
        while True:
            w = self.words()
            shape = self.rng.choice(
                [
                    "{s}{a}{t}",
                    "{a}{p}的{t}",
                    "在{p}，{s}{a}{t}",
                    "{p}里的{s}",
                    "{s}：{a}{t}的第{n}年",
                    "“{t}”背后的{s}故事",
                    "从{p}到{p2}：{s}的{t}",
                ]
            )
            text = shape.format(
                **w,
                a=self.rng.choice(ACTIONS),
                n=self.rng.choice("二三四五六七八九十"),
                p2=self.rng.choice(PLACES),
            )
            if text not in self.titles and len(text) >= 5:
                self.titles.add(text)
                return text

    def kicker(self):
        return f"{self.rng.choice(PLACES)}见闻·{self.rng.choice(THINGS)}"

    def subtitle(self):
        return f"——记{self.rng.choice(PLACES)}{self.rng.choice(SUBJECTS)}{self.name()}"

    def byline(self):
        return self.rng.choice(
            [
                f"文/{self.name()}",
                f"本刊记者 {self.name()}",
                f"文/{self.name()} 图/{self.name()}",
                f"本刊记者 {self.name()} 通讯员 {self.name()}",
            ]
        )


def page_codes(count):
    inner = count - 4
    codes = [("0001", "封面"), ("0002", "封二")]
    names = [name for name, pages in PAGE_NAMES for _ in range(pages)]
    codes += [(f"{n:02}", names[(n - 1) % len(names)]) for n in range(1, inner + 1)]
    return [*codes, ("9901", "封三"), ("9902", "封底")][:count]


def make(seed=1, pages=68, articles=200, year=2026, number=12):
    """An issue of ``pages`` pages printing ``articles`` articles (see the module)."""
    rng = random.Random(seed)
    writer = Writer(rng)
    codes = page_codes(pages)
    inner = [code for code in codes if len(code[0]) == 2]
    counts = spread(articles, len(inner), rng)
    printed = {code: layout.Page(code, name) for code, name in codes}
    specs = []
    continuing = {}  # page code -> pieces continued onto it (printed first there)
    for (code, _name), count in zip(inner, counts, strict=True):
        page = printed[code]
        page.pieces.extend(continuing.pop(code, []))
        for _ in range(count):
            spec = ArticleSpec(title=writer.title(), paragraphs=[], page=code)
            if rng.random() < 0.3:
                spec.kicker = writer.kicker()
            if rng.random() < 0.3:
                spec.subtitle = writer.subtitle()
            if rng.random() < 0.9:
                spec.byline = writer.byline()
            specs.append(spec)
            page.pieces.append(
                layout.Piece(
                    key=spec.title,
                    paragraphs=[],
                    kicker=spec.kicker,
                    title=spec.title,
                    subtitle=spec.subtitle,
                    byline=spec.byline,
                )
            )
        later = [c for c, _ in inner if c > code]
        own = [p for p in page.pieces if p.title]
        if own and later and rng.random() < 0.12:
            target = later[0] if rng.random() < 0.7 or len(later) < 3 else later[2]
            own[-1].continued_to = target
            spec = specs[-1]
            spec.continued_on = target
            continuing.setdefault(target, []).append(
                layout.Piece(key=spec.title, paragraphs=[], continued_from=code, indent_first=True)
            )
        arrange(page, rng)
    fill(printed, specs, writer, rng)
    name_on_covers(printed, specs, random.Random(seed + 1))
    return IssueSpec(year, number, codes, specs, [printed[code] for code, _ in codes])


def name_on_covers(printed, specs, rng):
    """The cover's lines (three titles, large) and a contents page (封二) naming
    some articles with their pages: titles printed where the articles are not."""
    if "0001" in printed and specs:
        cover = [(title.title, 22.0) for title in rng.sample(specs, min(3, len(specs)))]
        printed["0001"].notes = [("本期看点", 14.0), *cover]
    if "0002" in printed and specs:
        listed = sorted(rng.sample(specs, min(24, len(specs))), key=lambda s: s.page)
        printed["0002"].notes = [("目　录", 16.0)] + [
            (f"{spec.title}　……　{spec.page}", 10.5) for spec in listed
        ]


def spread(total, pages, rng):
    """How many articles each inner page prints: one to four, ``total`` in all."""
    if not pages <= total <= 4 * pages:
        raise ValueError(f"{total} articles do not fit {pages} inner pages (1 to 4 a page)")
    counts = [1] * pages
    for _ in range(total - pages):
        choices = [i for i, c in enumerate(counts) if c < 4]
        counts[rng.choice(choices)] += 1
    return counts


def arrange(page, rng):
    """Rows of the page (pieces side by side or stacked), columns, and band heights."""
    count = len(page.pieces)
    if count == 0:
        return
    indexes = list(range(count))
    if count == 2 and rng.random() < 0.4:
        page.rows = [[0, 1]]
    elif count == 3 and rng.random() < 0.5:
        page.rows = [[0], [1, 2]]
    elif count == 4 and rng.random() < 0.5:
        page.rows = [[0, 1], [2, 3]]
    else:
        page.rows = [[i] for i in indexes]
    frame = layout.PAGE_HEIGHT - layout.MARGIN_TOP - layout.MARGIN_BOTTOM
    shares = [rng.uniform(0.8, 1.2) for _ in page.rows]
    room = frame - layout.GAP * (len(page.rows) - 1)
    for row, share in zip(page.rows, shares, strict=True):
        height = room * share / sum(shares)
        for index in row:
            piece = page.pieces[index]
            piece.height = height
            wide = len(row) == 1
            piece.columns = rng.choice((2, 3, 3)) if wide else rng.choice((1, 1, 2))


def fill(printed, specs, writer, rng):
    """Write each article's paragraphs to fill its pieces: the first to the end of its
    band when it goes on elsewhere (the paragraph cut there goes on, unindented)."""
    pieces = {}
    frame_width = layout.PAGE_WIDTH - 2 * layout.MARGIN_X
    for page in printed.values():
        for row in page.rows or []:
            each = (frame_width - layout.GAP * (len(row) - 1)) / len(row)
            for index in row:
                piece = page.pieces[index]
                pieces.setdefault(piece.key, []).append((piece, each))
    for spec in specs:
        parts = pieces[spec.title]
        first, first_width = parts[0]
        rows, count, column = room(first, first_width)
        if len(parts) == 1:
            first.paragraphs = paragraphs_for(writer, rng, rows * count, column, fill=0.8)
            spec.paragraphs = list(first.paragraphs)
            continue
        rest, rest_width = parts[1]
        rest_rows, rest_count, rest_column = room(rest, rest_width)
        carry = min(rest_rows * rest_count // 2, rng.randint(6, 18))
        text = paragraphs_for(writer, rng, rows * count + carry, column, fill=1.0)
        shown, carried = split_at(text, column, rows * count)
        if not carried:  # all of it fitted: its last paragraph goes on instead
            shown, carried = shown[:-1], shown[-1:]
        first.paragraphs = shown
        # The paragraph cut at the page's end goes on, unindented, on the other.
        rest.indent_first = not (shown and shown[-1] != text[len(shown) - 1])
        left = rest_rows * rest_count - len(layout.body_lines(carried, rest_column))
        more = paragraphs_for(writer, rng, left, rest_column, fill=0.6) if left > 8 else []
        rest.paragraphs = [*carried, *more]
        spec.paragraphs = [*text, *more]


def room(piece, frame_width):
    _, head = layout.head_lines(piece, 0, 0, frame_width)
    count, column = layout.columns_of(piece, frame_width)
    marker = layout.LEADING if piece.continued_to else 0
    return max(1, int((piece.height - head - marker) // layout.LEADING)), count, column


def paragraphs_for(writer, rng, lines, column, fill):
    """Paragraphs filling about ``fill`` of ``lines`` lines of a ``column`` wide column."""
    per_line = max(4, int(column // layout.BODY))
    target = max(1, int(lines * fill))
    paragraphs = []
    while True:
        candidate = writer.paragraph(rng.randint(per_line * 2, per_line * 6))
        trial = [*paragraphs, candidate]
        if len(layout.body_lines(trial, column)) > target:
            break
        paragraphs = trial
    if not paragraphs:
        paragraphs = [writer.paragraph(per_line)[: per_line * max(1, target) - 2]]
    return paragraphs


def split_at(paragraphs, column, lines):
    """The paragraphs as the first ``lines`` lines show them, and what goes on."""
    shown, carried, used = [], [], 0
    for index, paragraph in enumerate(paragraphs):
        wrapped = layout.wrap(paragraph, column, layout.BODY, indent=2 * layout.BODY)
        if used + len(wrapped) <= lines:
            shown.append(paragraph)
            used += len(wrapped)
            continue
        take = lines - used
        if take > 0:
            head = "".join(wrapped[:take])
            shown.append(head)
            carried.append(paragraph[len(head) :])
        else:
            carried.append(paragraph)
        carried.extend(paragraphs[index + 1 :])
        break
    return shown, carried
