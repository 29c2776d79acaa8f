"""Author names out of a byline as printed.

``文/滕将华`` -> ``["滕将华"]``; ``本刊记者 陈晓 通讯员 林一帆`` -> ``["陈晓", "林一帆"]``;
``□ 王芳`` -> ``["王芳"]``. No Django here: the importer, the admin and the
search index all call it.
"""

import re

# Words that say what someone did, not who they are. Longest first, so that
# "本刊特约记者" is stripped whole rather than as "记者".
ROLE_WORDS = sorted(
    {
        "本刊特约记者",
        "本刊特约撰稿人",
        "本刊特约评论员",
        "本刊评论员",
        "本刊记者",
        "本刊通讯员",
        "特约撰稿人",
        "特约评论员",
        "特约记者",
        "特约通讯员",
        "见习记者",
        "首席记者",
        "实习记者",
        "记者",
        "通讯员",
        "实习生",
        "撰稿人",
        "撰稿",
        "评论员",
        "责任编辑",
        "编辑",
        "编者",
        "作者",
        "执笔",
        "整理",
        "口述",
        "采写",
        "供稿",
        "报道",
        "摄影",
        "图片",
        "绘图",
        "插图",
        "翻译",
        "编译",
        "译",
        "文",
        "图",
        "摄",
        "绘",
        "本刊",
        "本报",
    },
    key=len,
    reverse=True,
)
_ROLE_SET = set(ROLE_WORDS)
_SEPARATORS = re.compile(r"[\s\u3000/／|｜、，,；;:：·•]+")
_DECORATION = re.compile(r"[□■●○◎◇◆★☆▲△▼▽※◆◇【】\[\]<>〈〉《》「」『』\"“”]+")
_PARENTHESES = re.compile(r"[（(][^）)]*[）)]")


def author_names(byline):
    """The names in ``byline``, in order, without duplicates or role words."""
    text = _PARENTHESES.sub(" ", byline or "")
    text = _DECORATION.sub(" ", text)
    names = []
    for token in _SEPARATORS.split(text):
        name = _strip_roles(token.strip("-—_.。"))
        if name and name not in names and len(name) <= 30:
            names.append(name)
    return names


def _strip_roles(token):
    """Drop role words glued to a name: 本刊记者陈晓 -> 陈晓, 陈晓摄 -> 陈晓."""
    if token in _ROLE_SET:
        return ""
    changed = True
    while changed and token:
        changed = False
        for word in ROLE_WORDS:
            # A name of two characters or more must remain after stripping.
            if token.startswith(word) and len(token) - len(word) >= 2:
                token, changed = token[len(word) :], True
                break
            if token.endswith(word) and len(token) - len(word) >= 2 and len(word) >= 2:
                token, changed = token[: -len(word)], True
                break
    return "" if token in _ROLE_SET else token
