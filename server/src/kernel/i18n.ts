import type { Locale } from './access/access.tables.js';

export type { Locale };

type Messages = Record<string, { 'zh-CN': string; 'en-US': string }>;

/**
 * Messages of the API's stable error codes, in both languages. `{name}` is replaced by a param.
 * A code without a message here is a bug: the test `errors.test.ts` checks every thrown code has one.
 */
export const messages: Messages = {
  INTERNAL: { 'zh-CN': '服务器内部错误，请稍后重试或联系管理员', 'en-US': 'Internal server error; please retry or contact the administrator' },
  NOT_FOUND: { 'zh-CN': '记录不存在或无权查看', 'en-US': 'The record does not exist or you may not see it' },
  ROUTE_NOT_FOUND: { 'zh-CN': '接口不存在', 'en-US': 'No such API route' },
  VALIDATION_FAILED: { 'zh-CN': '输入有误，请检查标红的字段', 'en-US': 'Some input is invalid; please check the highlighted fields' },
  BAD_REQUEST: { 'zh-CN': '请求格式有误', 'en-US': 'The request is malformed' },
  PAYLOAD_TOO_LARGE: { 'zh-CN': '提交的内容过大', 'en-US': 'The request body is too large' },
  AUTH_REQUIRED: { 'zh-CN': '请先登录', 'en-US': 'Please log in' },
  AUTH_INVALID_CREDENTIALS: { 'zh-CN': '用户名或密码错误', 'en-US': 'Wrong username or password' },
  AUTH_LOCKED: {
    'zh-CN': '登录失败次数过多，请 {minutes} 分钟后再试',
    'en-US': 'Too many failed logins; try again in {minutes} minutes',
  },
  AUTH_USER_DISABLED: { 'zh-CN': '该账号已停用，请联系管理员', 'en-US': 'This account is disabled; contact the administrator' },
  AUTH_PASSWORD_WRONG: { 'zh-CN': '当前密码不正确', 'en-US': 'The current password is wrong' },
  AUTH_PASSWORD_CHANGE_REQUIRED: { 'zh-CN': '请先修改初始密码', 'en-US': 'Please change your initial password first' },
  CSRF_INVALID: { 'zh-CN': '页面已过期，请刷新后重试', 'en-US': 'The page has expired; please reload and retry' },
  FORBIDDEN: { 'zh-CN': '您没有执行此操作的权限', 'en-US': 'You do not have permission to do this' },
  CONFLICT_VERSION: {
    'zh-CN': '该记录已被他人修改，请刷新后再编辑',
    'en-US': 'Someone else changed this record; reload it and edit again',
  },
  USERNAME_TAKEN: { 'zh-CN': '用户名“{username}”已被使用', 'en-US': 'The username "{username}" is already taken' },
  USER_CANNOT_DISABLE_SELF: { 'zh-CN': '不能停用自己的账号', 'en-US': 'You cannot disable your own account' },
  DEPARTMENT_NOT_EMPTY: {
    'zh-CN': '部门下还有 {users} 名用户、{children} 个下级部门，不能删除',
    'en-US': 'The department still has {users} users and {children} sub-departments; it cannot be deleted',
  },
  DEPARTMENT_NAME_TAKEN: { 'zh-CN': '同一上级下已有名为“{name}”的部门', 'en-US': 'A sibling department is already named "{name}"' },
  DEPARTMENT_CYCLE: { 'zh-CN': '不能把部门移到它自己或其下级部门之下', 'en-US': 'A department cannot move under itself or its own sub-department' },
  DEPARTMENT_ROOT_REQUIRED: { 'zh-CN': '公司根部门不能删除或移动', 'en-US': 'The company root department cannot be deleted or moved' },
  ROLE_CODE_TAKEN: { 'zh-CN': '角色编码“{code}”已存在', 'en-US': 'The role code "{code}" already exists' },
  ROLE_IN_USE: { 'zh-CN': '还有 {users} 名用户使用此角色，不能删除', 'en-US': '{users} users still have this role; it cannot be deleted' },
  ROLE_BUILTIN: { 'zh-CN': '系统内置角色不能删除', 'en-US': 'Built-in roles cannot be deleted' },
  ROLE_ADMIN_LOCKOUT: {
    'zh-CN': '此操作会使系统没有可用的管理员',
    'en-US': 'This would leave the system without an active administrator',
  },
  NUMBER_PATTERN_INVALID: {
    'zh-CN': '编号规则“{pattern}”无效：须含且只含一个 {seq:N}，可用 {yyyy} {yy} {mm} {dd}',
    'en-US': 'Number pattern "{pattern}" is invalid: it needs exactly one {seq:N} and may use {yyyy} {yy} {mm} {dd}',
  },
  TRANSITION_UNKNOWN: { 'zh-CN': '未知的操作：{transition}', 'en-US': 'Unknown action: {transition}' },
  TRANSITION_NOT_ALLOWED: { 'zh-CN': '单据当前为“{state}”，不能执行“{transition}”', 'en-US': 'The document is "{state}"; "{transition}" is not possible now' },
  DOCUMENT_NOT_EDITABLE: { 'zh-CN': '只有草稿可以修改', 'en-US': 'Only drafts can be edited' },
  APPROVAL_NO_FLOW: { 'zh-CN': '没有适用于此{type}的审批流，请联系管理员设置', 'en-US': 'No approval flow applies to this {type}; ask an administrator to set one up' },
  APPROVAL_NO_APPROVER: { 'zh-CN': '审批步骤“{step}”找不到可用的审批人', 'en-US': 'The approval step "{step}" has no available approver' },
  APPROVAL_ALREADY_DECIDED: { 'zh-CN': '该审批已处理', 'en-US': 'This approval has already been decided' },
  APPROVAL_REASON_REQUIRED: { 'zh-CN': '驳回时请填写原因', 'en-US': 'Please give a reason for rejecting' },
  APPROVAL_FLOW_NO_STEPS: { 'zh-CN': '审批流至少需要一个步骤', 'en-US': 'An approval flow needs at least one step' },
  APPROVAL_STEP_APPROVER_REQUIRED: { 'zh-CN': '请选择审批人', 'en-US': 'Choose the approver' },
  DELEGATION_SELF: { 'zh-CN': '不能委托给自己', 'en-US': 'You cannot delegate to yourself' },
  DELEGATION_DATES: { 'zh-CN': '结束日期不能早于开始日期', 'en-US': 'The end date cannot be before the start date' },
  ACCOUNT_REQUEST_DUPLICATE: {
    'zh-CN': '该用户名已有审批中的申请：{number}',
    'en-US': 'A request for this username is already pending: {number}',
  },
  ATTACHMENT_TYPE_REFUSED: { 'zh-CN': '不支持上传 .{ext} 文件；可上传：{allowed}', 'en-US': '.{ext} files cannot be uploaded; allowed: {allowed}' },
  ATTACHMENT_CONTENT_REFUSED: { 'zh-CN': '文件内容像是程序或脚本，出于安全原因拒收', 'en-US': 'The file looks like a program or script and is refused for safety' },
  ATTACHMENT_TOO_LARGE: { 'zh-CN': '文件不能超过 {mb} MB', 'en-US': 'Files may not exceed {mb} MB' },
  ATTACHMENT_EMPTY: { 'zh-CN': '文件是空的', 'en-US': 'The file is empty' },
  ATTACHMENT_FILE_REQUIRED: { 'zh-CN': '请选择要上传的文件', 'en-US': 'Choose a file to upload' },
  REMINDER_IN_PAST: { 'zh-CN': '提醒时间不能早于现在', 'en-US': 'The reminder time cannot be in the past' },
  UNKNOWN_PERMISSION: { 'zh-CN': '未知权限：{codes}', 'en-US': 'Unknown permissions: {codes}' },
  CUSTOMER_DUPLICATE_CREDIT_CODE: {
    'zh-CN': '统一社会信用代码已被客户「{name}」（{code}，负责人 {owner}）使用，不能重复建档',
    'en-US': 'The credit code is already used by customer "{name}" ({code}, owner {owner}); a customer cannot be created twice',
  },
  CUSTOMER_DUPLICATE_NAME: {
    'zh-CN': '客户「{name}」（{code}，负责人 {owner}）已存在（名称规范化后相同），不能重复建档',
    'en-US': 'Customer "{name}" ({code}, owner {owner}) already exists (same name after normalisation); a customer cannot be created twice',
  },
  CUSTOMER_CREDIT_CODE_INVALID: {
    'zh-CN': '统一社会信用代码无效：应为 18 位，校验位正确',
    'en-US': 'Invalid unified social credit code: 18 characters with a correct check character',
  },
  CUSTOMER_HOSPITAL_GRADE_NOT_HOSPITAL: { 'zh-CN': '只有医院才有医院等级', 'en-US': 'Only hospitals have a hospital grade' },
  CUSTOMER_CODE_TAKEN: { 'zh-CN': '客户编码已被使用', 'en-US': 'This customer code is already used' },
  CUSTOMER_MERGED: { 'zh-CN': '该客户已合并到其他客户（{code}），不能再修改', 'en-US': 'This customer was merged into another ({code}) and cannot be changed' },
  CUSTOMER_IMPORT_TERRITORY_REQUIRED: {
    'zh-CN': '请填写省、市、区县中的至少一项，或填写地区编码',
    'en-US': 'Fill in at least one of province, city and county, or the territory code',
  },
  IMPORT_NOT_AMOUNT: { 'zh-CN': '“{value}”不是金额（元，最多两位小数，如 1234.50）', 'en-US': '"{value}" is not an amount (yuan, at most 2 decimals, e.g. 1234.50)' },
  CONTACT_MOBILE_INVALID: { 'zh-CN': '请填写 11 位中国大陆手机号', 'en-US': 'Enter an 11-digit mainland China mobile number' },
  CONTACT_MOBILE_TAKEN: { 'zh-CN': '该客户下已有使用此手机号的联系人', 'en-US': 'This customer already has a contact with this mobile number' },
  CONTACT_NAME_REQUIRED: { 'zh-CN': '请填写联系人姓名', 'en-US': 'Enter the contact’s name' },
  CONTACT_BIRTHDAY_INVALID: { 'zh-CN': '生日格式应为 YYYY-MM-DD', 'en-US': 'The birthday must be YYYY-MM-DD' },
  CONTACT_MOVE_SAME_CUSTOMER: { 'zh-CN': '联系人已在该客户下', 'en-US': 'The contact already works at this customer' },
  CONTACT_ALREADY_LEFT: { 'zh-CN': '该联系人已标记为离职', 'en-US': 'This contact is already marked as left' },
  OWNERSHIP_USER_OUT_OF_REACH: { 'zh-CN': '该人员不在您的管理范围内', 'en-US': 'This person is outside the part of the organisation you manage' },
  OWNERSHIP_USER_INACTIVE: { 'zh-CN': '{name} 不是在职的启用账号', 'en-US': '{name} is not an active user' },
  OWNERSHIP_SAME_USER: { 'zh-CN': '转出人和接收人不能是同一人', 'en-US': 'The rep handing over and the one taking over must differ' },
  DELEGATION_IN_PAST: { 'zh-CN': '代理期间已经结束', 'en-US': 'This period is already over' },
  DELEGATION_OVERLAP: { 'zh-CN': '该人员在这段时间已有工作代理', 'en-US': 'This person already has a delegation in this period' },
  DELEGATION_CANCELLED: { 'zh-CN': '该工作代理已取消', 'en-US': 'This delegation is already cancelled' },
  CUSTOMER_MERGE_SELF: { 'zh-CN': '不能把客户合并到它自己', 'en-US': 'A customer cannot be merged into itself' },
  CUSTOMER_MERGE_CONFLICT: {
    'zh-CN': '合并被数据约束拒绝（{table}：{constraint}），请先处理重复的记录',
    'en-US': 'The merge was refused by a rule of the data ({table}: {constraint}); resolve the duplicate records first',
  },
  CUSTOMER_PARENT_SELF: { 'zh-CN': '上级集团不能是客户自己', 'en-US': 'A customer cannot be its own parent group' },
  QUALIFICATION_ALREADY_CURRENT: { 'zh-CN': '该客户已有这种资质文件，请使用“换证”更新', 'en-US': 'The customer already has a current document of this kind; renew it instead' },
  QUALIFICATION_NOT_CURRENT: { 'zh-CN': '该资质文件已被新证替换，不能再修改', 'en-US': 'This document was replaced by a newer one and cannot be changed' },
  QUALIFICATION_EXPIRES_BEFORE_ISSUED: { 'zh-CN': '有效期至不能早于发证日期', 'en-US': 'The expiry date cannot be before the issue date' },
  QUALIFICATION_KIND_TWICE: { 'zh-CN': '同一种资质文件只能填写一份', 'en-US': 'Each kind of document can be listed only once' },
  CUSTOMER_APPLICATION_OWNER_OUT_OF_SCOPE: { 'zh-CN': '只能指定您管辖范围内的在职业务员为负责人', 'en-US': 'The proposed owner must be an active colleague within your data scope' },
  CUSTOMER_APPLICATION_PENDING_TWIN: { 'zh-CN': '同一客户已有开户申请 {number} 正在审批中', 'en-US': 'Account opening {number} for the same customer is already waiting for approval' },
  UNKNOWN_REFERENCE: { 'zh-CN': '引用的{what}不存在：{ids}', 'en-US': 'Referenced {what} not found: {ids}' },
  IMPORT_FILE_ALREADY_IMPORTED: {
    'zh-CN': '该文件已于 {at} 上传过（批次 #{batchId}，{filename}），请勿重复导入；如需继续请打开该批次',
    'en-US': 'This file was already uploaded on {at} (batch #{batchId}, {filename}); open that batch instead of importing it again',
  },
  IMPORT_FILE_MISSING: { 'zh-CN': '请选择要上传的文件', 'en-US': 'Please choose a file to upload' },
  IMPORT_FILE_TOO_LARGE: { 'zh-CN': '文件超过 {mb} MB，请拆分后再上传', 'en-US': 'The file is larger than {mb} MB; split it and upload the parts' },
  IMPORT_FILE_TYPE: { 'zh-CN': '不支持的文件类型：{filename}，请上传 xlsx 或 csv 文件', 'en-US': 'Unsupported file type: {filename}; upload an xlsx or csv file' },
  IMPORT_FILE_UNREADABLE: { 'zh-CN': '无法读取文件 {filename}，请用 Excel 另存为 xlsx 后重试', 'en-US': 'Cannot read {filename}; save it as xlsx in Excel and retry' },
  IMPORT_TOO_MANY_ROWS: { 'zh-CN': '文件超过 {max} 行，请拆分后再上传', 'en-US': 'The file has more than {max} rows; split it and upload the parts' },
  IMPORT_HEADER_MISSING: { 'zh-CN': '文件第一行缺少必填列：{columns}（请使用导入模板）', 'en-US': 'The first row lacks required columns: {columns} (use the import template)' },
  IMPORT_EMPTY: { 'zh-CN': '文件中没有数据行', 'en-US': 'The file has no data rows' },
  IMPORT_HAS_ERRORS: {
    'zh-CN': '有 {count} 行存在错误，“全部成功才导入”模式下未写入任何数据',
    'en-US': '{count} rows have errors; in all-or-nothing mode nothing was written',
  },
  IMPORT_NOTHING_VALID: { 'zh-CN': '没有可导入的有效行', 'en-US': 'There are no valid rows to import' },
  IMPORT_BATCH_NOT_OPEN: { 'zh-CN': '该批次状态为“{status}”，不能再次导入', 'en-US': 'This batch is {status} and cannot be imported again' },
  IMPORT_REQUIRED: { 'zh-CN': '必填', 'en-US': 'Required' },
  IMPORT_TOO_LONG: { 'zh-CN': '最多 {max} 个字符', 'en-US': 'At most {max} characters' },
  IMPORT_INVALID: { 'zh-CN': '格式不正确', 'en-US': 'Invalid format' },
  IMPORT_NOT_INTEGER: { 'zh-CN': '“{value}”不是整数', 'en-US': '"{value}" is not a whole number' },
  IMPORT_OUT_OF_RANGE: { 'zh-CN': '“{value}”超出范围 {min}–{max}', 'en-US': '"{value}" is outside {min}–{max}' },
  IMPORT_NOT_DATE: { 'zh-CN': '“{value}”不是日期（如 2026-01-05）', 'en-US': '"{value}" is not a date (e.g. 2026-01-05)' },
  IMPORT_NOT_ALLOWED: { 'zh-CN': '“{value}”不是可选值：{allowed}', 'en-US': '"{value}" is not one of: {allowed}' },
  IMPORT_NOT_FOUND: { 'zh-CN': '找不到{what}“{value}”', 'en-US': 'No {what} named "{value}"' },
  IMPORT_AMBIGUOUS: {
    'zh-CN': '有多个{what}名为“{value}”（{candidates}），{hint}',
    'en-US': 'Several {what}s are named "{value}" ({candidates}); {hint}',
  },
  IMPORT_DUPLICATE_IN_FILE: { 'zh-CN': '“{value}”与文件第 {row} 行重复', 'en-US': '"{value}" repeats row {row} of the file' },
  DUPLICATE: { 'zh-CN': '记录重复', 'en-US': 'Duplicate record' },
  REFERENCED: { 'zh-CN': '记录仍被引用，不能删除', 'en-US': 'The record is still referenced and cannot be deleted' },
  NOTIFICATION_EVENT_UNKNOWN: { 'zh-CN': '未知的通知事件：{event}', 'en-US': 'Unknown notification event: {event}' },
  CONSTRAINT: { 'zh-CN': '数据不满足规则：{constraint}', 'en-US': 'The data breaks a rule: {constraint}' },
  // 药品目录与价格 (modules/products)
  PRODUCT_CODE_TAKEN: { 'zh-CN': '产品编码“{code}”已被使用', 'en-US': 'The product code "{code}" is already taken' },
  PRODUCT_DUPLICATE: {
    'zh-CN': '在售产品中已有 {genericName}（{specification}，{manufacturer}）',
    'en-US': 'An active product {genericName} ({specification}, {manufacturer}) already exists',
  },
  PRODUCT_LINE_NAME_TAKEN: { 'zh-CN': '已有名为“{name}”的产品线', 'en-US': 'A product line is already named "{name}"' },
  PRODUCT_LINE_PARENT_INVALID: { 'zh-CN': '上级产品线须为一级产品线且不能是自己', 'en-US': 'The parent must be a top-level product line other than this one' },
  PRODUCT_DOCUMENT_DATES: { 'zh-CN': '有效期至不能早于发证日期', 'en-US': 'The expiry date cannot be before the issue date' },
  PRICE_DATES: { 'zh-CN': '失效日期不能早于生效日期', 'en-US': 'The end date cannot be before the start date' },
  PRICE_TARGET_NONE: { 'zh-CN': '出厂价和零售指导价不指定客户、客户类型或区域', 'en-US': 'Ex-factory and retail guide prices have no customer, customer type or territory' },
  PRICE_TARGET_SUPPLY: {
    'zh-CN': '供货价须指定客户，或指定客户类型和/或区域（二者不可与指定客户同时使用）',
    'en-US': 'A supply price is for a named customer, or for a customer type and/or a territory (not both)',
  },
  PRICE_TENDER_PROVINCE: { 'zh-CN': '中标价须指定一个省份，且不指定客户或客户类型', 'en-US': 'A tender price is for one province, without customer or customer type' },
  PRICE_TENDER_NAME_ONLY: { 'zh-CN': '只有中标价可以填写招标项目', 'en-US': 'Only tender prices have a tender name' },
  LEAD_IS_CUSTOMER: { 'zh-CN': '该单位已是客户：{name}（{code}）', 'en-US': 'This organisation is already a customer: {name} ({code})' },
  LEAD_DUPLICATE: { 'zh-CN': '已有同名线索：{name}（{code}）', 'en-US': 'There is already a lead for this organisation: {name} ({code})' },
  LEAD_MOBILE_INVALID: { 'zh-CN': '手机号格式不正确（11 位，以 1 开头）', 'en-US': 'Not a valid mobile number (11 digits starting with 1)' },
  LEAD_OWNER_CANNOT_WORK_LEADS: { 'zh-CN': '{name} 不是可跟进线索的在职人员', 'en-US': '{name} is not an active user who works leads' },
  LEAD_NOT_YOURS: { 'zh-CN': '只有线索负责人或分配人可以修改此线索', 'en-US': 'Only the lead’s owner or someone who assigns leads may change it' },
  LEAD_WRONG_STATUS: { 'zh-CN': '线索当前状态不允许此操作', 'en-US': 'The lead’s current status does not allow this' },
  LEAD_NOT_IN_POOL: { 'zh-CN': '该线索不在线索池中', 'en-US': 'This lead is not in the pool' },
  LEAD_TERRITORY_REQUIRED: { 'zh-CN': '请先填写线索的所在地区再转为开户申请', 'en-US': 'Set the lead’s region before turning it into an account opening' },
  LEAD_INQUIRY_CONTACT_REQUIRED: { 'zh-CN': '请留下电话或邮箱', 'en-US': 'Please leave a phone number or an e-mail address' },
  INQUIRY_RATE_LIMITED: { 'zh-CN': '提交过于频繁，请稍后再试', 'en-US': 'Too many inquiries; please try again later' },
  LEAD_IMPORT_PRODUCT_UNKNOWN: { 'zh-CN': '找不到产品：{value}', 'en-US': 'Unknown product: {value}' },
  CRM_ROUND_ROBIN_TEAM_REQUIRED: { 'zh-CN': '按团队轮流分配时必须选择团队', 'en-US': 'Choose the team whose reps take leads in turn' },
  OPPORTUNITY_LOST_REASON_REQUIRED: { 'zh-CN': '输单须选择战败原因', 'en-US': 'Choose why the deal was lost' },
  OPPORTUNITY_PRODUCT_TWICE: { 'zh-CN': '同一产品只能出现一次', 'en-US': 'Each product may appear once' },
  OPPORTUNITY_STAGE_NOT_OPEN: { 'zh-CN': '新建的销售机会须处于进行中的阶段', 'en-US': 'A new opportunity starts in an open stage' },
  OPPORTUNITY_STAGE_CLOSING_REQUIRED: { 'zh-CN': '赢单和输单阶段不能停用', 'en-US': 'The won and lost stages cannot be deactivated' },
  OPPORTUNITY_STAGE_IN_USE: {
    'zh-CN': '该阶段还有 {count} 个进行中的销售机会，请先移到其他阶段再停用',
    'en-US': '{count} open opportunities are in this stage; move them to another stage before deactivating it',
  },
  OPPORTUNITY_STAGE_LAST_OPEN: { 'zh-CN': '至少保留一个启用的进行中阶段', 'en-US': 'Keep at least one active open stage' },
  OPPORTUNITY_STAGE_ORDER_INVALID: { 'zh-CN': '排序须包含每个进行中阶段各一次', 'en-US': 'The order must name every open stage exactly once' },
  PRICE_OVERLAP: {
    'zh-CN': '同一产品、同一价格类型和对象已有 {from} 至 {to} 的价格，有效期不能重叠',
    'en-US': 'The same product, kind and target already has a price from {from} to {to}; validity periods cannot overlap',
  },
  NO_PRICE: { 'zh-CN': '该客户在此日期没有可用价格', 'en-US': 'No price applies to this customer on this day' },
  // 拜访/联系记录 (modules/activities)
  ACTIVITY_SUBJECT_REQUIRED: { 'zh-CN': '请选择客户或潜在客户', 'en-US': 'Choose a customer or a lead' },
  ACTIVITY_DONE_IN_FUTURE: { 'zh-CN': '已完成的记录不能晚于当前时间；未来的安排请记为计划', 'en-US': 'A done activity cannot be in the future; plan it instead' },
  ACTIVITY_ENDS_BEFORE_START: { 'zh-CN': '结束时间不能早于开始时间', 'en-US': 'The end cannot be before the start' },
  ACTIVITY_FOLLOW_UP_BEFORE_ACTIVITY: { 'zh-CN': '下次跟进日期不能早于本次日期', 'en-US': 'The next follow-up cannot be before the activity' },
  ACTIVITY_CONTACT_NOT_OF_CUSTOMER: { 'zh-CN': '联系人必须是该客户的在职联系人', 'en-US': 'Contacts must be active contacts of the customer' },
  ACTIVITY_NOT_OWNER: { 'zh-CN': '只有记录人可以修改这条记录', 'en-US': 'Only the owner can change this activity' },
  ACTIVITY_CANCELLED: { 'zh-CN': '该记录已取消', 'en-US': 'This activity was cancelled' },
  ACTIVITY_ALREADY_DONE: { 'zh-CN': '已完成的记录不能改回计划', 'en-US': 'A done activity cannot become planned again' },
  ACTIVITY_NOT_PLANNED: { 'zh-CN': '只有计划中的记录可以完成或取消', 'en-US': 'Only a planned activity can be completed or cancelled' },
  ACTIVITY_CHECK_IN_VISIT_ONLY: { 'zh-CN': '只有拜访可以签到', 'en-US': 'Only visits are checked in' },
  ACTIVITY_ALREADY_CHECKED_IN: { 'zh-CN': '该拜访已签到', 'en-US': 'This visit is already checked in' },
  ACTIVITY_NO_OPEN_FOLLOW_UP: { 'zh-CN': '该记录没有待跟进事项', 'en-US': 'This activity has no open follow-up' },
  ACTIVITY_NOT_MEETING: { 'zh-CN': '只有会议记录有待办事项', 'en-US': 'Only meetings have action items' },
  ACTION_ITEM_NOT_ALLOWED: { 'zh-CN': '只有待办负责人或会议记录人可以修改待办', 'en-US': 'Only the item’s owner or the meeting’s owner can change it' },
  CRM_REPORT_PERIOD_INVALID: { 'zh-CN': '结束日期（{to}）不能早于开始日期（{from}）', 'en-US': 'The end date ({to}) cannot be before the start date ({from})' },
  CRM_REPORT_PERIOD_TOO_LONG: { 'zh-CN': '统计期间最长 {days} 天', 'en-US': 'The period can be at most {days} days long' },
  // ---- Shipping 发货 and returns 退换货 (modules/shipping, modules/returns) ----
  SHIPMENT_ORDER_NOT_RELEASED: { 'zh-CN': '订单 {number} 尚未下达或已发完，不能发货', 'en-US': 'Order {number} is not released or is fully shipped; it cannot be shipped' },
  SHIPMENT_NOTHING_TO_SHIP: { 'zh-CN': '该订单没有可发货的已分配库存', 'en-US': 'The order has no reserved stock left to ship' },
  SHIPMENT_OVER_RESERVED: {
    'zh-CN': '批号 {batch} 可发数量为 {available}，不能发 {requested}',
    'en-US': 'Batch {batch} has {available} left to ship; {requested} is too many',
  },
  SHIPMENT_FOUR_EYES: { 'zh-CN': '双人复核：拣货人不能复核自己的发货单，请由另一位同事复核', 'en-US': 'Four eyes: the person who created the shipment may not check it; ask a colleague' },
  SHIPMENT_CARRIER_REQUIRED: { 'zh-CN': '请填写承运商（自送请填写“自送”）', 'en-US': 'Enter the carrier (or "self-delivery")' },
  SHIPMENT_TRACKING_REQUIRED: { 'zh-CN': '请填写运单号（自送可不填）', 'en-US': 'Enter the tracking number (not needed for self-delivery)' },
  SHIPMENT_COLD_CHAIN_LOGGER_REQUIRED: { 'zh-CN': '冷链发货须填写温度记录仪编号', 'en-US': 'A cold-chain shipment needs the temperature logger id' },
  SHIPMENT_COLD_CHAIN_TEMPERATURE_REQUIRED: { 'zh-CN': '冷链发货须填写启运和到货温度', 'en-US': 'A cold-chain shipment needs the start and end temperatures' },
  SHIPMENT_COLD_CHAIN_TEMPERATURE_OUT_OF_RANGE: {
    'zh-CN': '温度 {value} ℃ 超出冷链范围 {min}–{max} ℃，不能发出',
    'en-US': 'Temperature {value} °C is outside the cold-chain range {min}–{max} °C; the shipment cannot leave',
  },
  SHIPMENT_CUSTOMER_NOT_ELIGIBLE: {
    'zh-CN': 'GSP：客户资质缺失或已过期（{problems}），不能发货',
    'en-US': 'GSP: the customer\'s qualifications are missing or expired ({problems}); the goods may not be shipped',
  },
  SHIPMENT_DELIVERED_AT_INVALID: { 'zh-CN': '签收时间不能早于发出时间，也不能晚于现在', 'en-US': 'The delivery time cannot be before dispatch or in the future' },
  SHIPMENT_CANCEL_REASON_REQUIRED: { 'zh-CN': '请填写取消原因', 'en-US': 'Enter the reason for cancelling' },
  RETURN_LINES_REQUIRED: { 'zh-CN': '请至少选择一个退货批次', 'en-US': 'Choose at least one shipped batch' },
  RETURN_LINE_TWICE: { 'zh-CN': '同一发货批次只能选一次', 'en-US': 'Each shipped batch may be chosen once' },
  RETURN_SHIPMENT_NOT_DISPATCHED: { 'zh-CN': '只能退已发出的货物', 'en-US': 'Only dispatched goods can be returned' },
  RETURN_QUANTITY_EXCEEDS_SHIPPED: {
    'zh-CN': '退货数量 {requested} 超过可退数量 {available}（已发数量减去已申请退货）',
    'en-US': 'Return quantity {requested} exceeds the {available} left (shipped less already requested)',
  },
  RETURN_ONE_ORDER: { 'zh-CN': '一张退换货单只能针对一个订单', 'en-US': 'A return request covers one order only' },
  RETURN_DESCRIPTION_REQUIRED: { 'zh-CN': '请填写退换货说明', 'en-US': 'Describe the return' },
  RETURN_WAREHOUSE_NOT_QUARANTINE: { 'zh-CN': '退货须先收入不合格品/待验库', 'en-US': 'Returned goods go into a quarantine warehouse first' },
  RETURN_WAREHOUSE_NOT_NORMAL: { 'zh-CN': '合格入库须选择在用的合格品库', 'en-US': 'Restock into an active normal warehouse' },
  RETURN_RESTOCK_WAREHOUSE_REQUIRED: { 'zh-CN': '合格入库须选择仓库', 'en-US': 'Choose the warehouse to restock into' },
  RETURN_INSPECTION_INCOMPLETE: { 'zh-CN': '每一行都须给出质检结论', 'en-US': 'Every line needs an inspection result' },
  RETURN_NOT_EXCHANGE: { 'zh-CN': '该申请为退货退款，不换货', 'en-US': 'This return is a refund, not an exchange' },
  RETURN_EXCHANGE_NOT_RECEIVED: { 'zh-CN': '退回的货物收货后才能换货发出', 'en-US': 'The replacement ships after the returned goods are received' },
  RETURN_EXCHANGE_EXISTS: { 'zh-CN': '换货发货单已创建', 'en-US': 'The replacement shipment already exists' },
  RETURN_EXCHANGE_STOCK_SHORT: {
    'zh-CN': '可用库存不足，无法换货（可用 {available}，需 {requested}）',
    'en-US': 'Not enough stock for the exchange ({available} available, {requested} needed)',
  },
};

/** Words used inside messages (e.g. `{what}`), localised the same way. */
export const words: Messages = {
  department: { 'zh-CN': '部门', 'en-US': 'department' },
  role: { 'zh-CN': '角色', 'en-US': 'role' },
  territory: { 'zh-CN': '区域', 'en-US': 'territory' },
  territory_code: { 'zh-CN': '地区编码', 'en-US': 'territory code' },
  user: { 'zh-CN': '用户', 'en-US': 'user' },
  product: { 'zh-CN': '产品', 'en-US': 'product' },
  customer: { 'zh-CN': '客户', 'en-US': 'customer' },
  product_line: { 'zh-CN': '产品线', 'en-US': 'product line' },
  opportunity_stage: { 'zh-CN': '销售阶段', 'en-US': 'pipeline stage' },
  validated: { 'zh-CN': '已校验', 'en-US': 'validated' },
  committing: { 'zh-CN': '导入中', 'en-US': 'being imported' },
  committed: { 'zh-CN': '已导入', 'en-US': 'imported' },
  failed: { 'zh-CN': '失败', 'en-US': 'failed' },
};

export function translate(code: string, locale: Locale, params: Record<string, unknown> = {}): string {
  const entry = messages[code] ?? messages.INTERNAL;
  return entry[locale].replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (typeof value === 'string' && words[value]) return words[value][locale];
    return value === undefined ? `{${key}}` : String(value);
  });
}

/** Picks the request language: the user's choice, else Accept-Language, else Chinese. */
export function pickLocale(userLocale: Locale | undefined, acceptLanguage: string | undefined): Locale {
  if (userLocale) return userLocale;
  if (acceptLanguage && /^\s*en\b/i.test(acceptLanguage)) return 'en-US';
  return 'zh-CN';
}
