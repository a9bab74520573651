"""A 通知 as the secretariat would issue it: the README's page image and the renderer's tests.

It has every part GB/T 9704-2012 lays out (two attachments, 抄送, a 印发机关 other than the
signatory) and both heading levels, so one rendering shows them all.
"""

from __future__ import annotations

from datetime import date

from .gongwen import OfficialDocument

DEMO_NOTICE = OfficialDocument(
    org="校学生会", number="校学生会发〔2026〕3号",
    title="关于开展2026年秋季学期各部门工作总结收集工作的通知",
    recipients=("各部门", "各学院学生会"),
    body=("为做好本学期工作总结与经验交流，经主席团研究，现就各部门工作总结收集工作通知如下。",
          "一、提交内容",
          "各部门围绕本学期主要工作、特色活动、存在问题和下学期计划撰写工作总结，字数一般不少于1500字。",
          "二、提交时间",
          "请于2026年12月4日（星期五）17:00前将电子版报送秘书处，逾期未交的部门将在例会上通报。",
          "（一）材料格式",
          "正文使用仿宋三号字，标题使用小标宋二号字，页码居外侧。",
          "三、联系方式",
          "秘书处联系人：王同学，电话：010-12345678。"),
    signatory="校学生会", date=date(2026, 11, 30),
    attachments=("各部门工作总结模板", "提交情况登记表"),
    cc=("校团委", "学生工作部"), issuer="校学生会秘书处")
