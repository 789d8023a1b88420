/**
 * The events a user can be notified of, named for the preferences screen. A module that calls
 * notify() with a new event adds it here, so users can choose its outbound channels.
 */
export const NOTIFICATION_EVENTS = {
  'user.password_reset': { name: '密码被管理员重置', nameEn: 'Password reset by an administrator' },
  'user.roles_changed': { name: '角色变更', nameEn: 'Roles changed' },
  'user.disabled': { name: '账号停用', nameEn: 'Account disabled' },
  'user.enabled': { name: '账号启用', nameEn: 'Account enabled' },
  'approval.task_assigned': { name: '有新的待审批', nameEn: 'A new approval is waiting for me' },
  'approval.approved': { name: '我提交的单据已审批通过', nameEn: 'My document was approved' },
  'approval.rejected': { name: '我提交的单据被驳回', nameEn: 'My document was rejected' },
  'reminder.due': { name: '我设的提醒到期', nameEn: 'A reminder I set is due' },
  'customer.assigned': { name: '有客户分配或转移给我', nameEn: 'Customers were assigned or transferred to me' },
  'customer.delegated': { name: '同事的客户由我代理', nameEn: 'I stand in for a colleague’s customers' },
  'approval.digest': { name: '每日待审批汇总', nameEn: 'Daily digest of approvals waiting' },
  'customer.opened': { name: '我申请的客户已开户', nameEn: 'A customer I applied for was opened' },
  'customer.qualification_expiring': { name: '我的客户资质即将到期或已过期', nameEn: 'A document of my customer expires soon or has expired' },
  'activity.commented': { name: '上级批注了我的拜访记录', nameEn: 'A manager commented on my activity' },
  'activity.action_item_assigned': { name: '会议待办指派给我', nameEn: 'A meeting action item was assigned to me' },
  'crm.neglected': { name: '我的客户久未联系', nameEn: 'My customers have not been contacted for a while' },
  'receivables.overdue': { name: '我的客户有逾期应收（每周）', nameEn: 'My customers have overdue invoices (weekly)' },
  'crm.birthdays': { name: '本周过生日的联系人', nameEn: 'Contacts with a birthday this week' },
  'stock.below_safety': { name: '药品低于安全库存', nameEn: 'Products below safety stock' },
  'stock.shortage': { name: '缺货预警（订单需求超过可用库存）', nameEn: 'Shortage: open orders exceed available stock' },
  'stock.near_expiry': { name: '批次进入近效期', nameEn: 'Batches near expiry' },
  'stock.expired': { name: '批次已过期', nameEn: 'Batches expired' },
} as const;

export type NotificationEvent = keyof typeof NOTIFICATION_EVENTS;
export const EVENT_CODES = Object.keys(NOTIFICATION_EVENTS) as NotificationEvent[];
