"""Reading printed pages: characters with their boxes, into lines, columns and blocks.

Nothing here knows of articles, issues or Django: plain data in, plain data out
(``pagelayout.reading``). The characters come from a PDF's text layer through
PDFium (``pagelayout.pdf_text``) or from a scan through Tesseract
(``pagelayout.ocr``), each behind one small adapter, so that the reading is
tested on characters recorded or drawn by the tests. Boxes are fractions of the
page (x from the left, y from the top), so that they fit every rendition of it.
"""
